# Screenshots never write into a real station (issue 13, item 17): a set-up station, then a
# screenshot of every view that shows sample data (the queue, the kiosk's steps); afterwards the
# store must hold exactly what it held before: no sample tickets, no duty slot, nothing to sync.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
set(data ${DIR}/data)
execute_process(COMMAND ${LIAISON} --data ${data} --demo --screenshot ${DIR}/setup.png --view home
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "setup failed (${rc}): ${err}")
endif()
# The store is encrypted (docs/security.md), so it is read through the command line, not sqlite3.
# Whether it is enrolled does not matter here: the app copies every set-up station before a
# screenshot (AppModel::open), enrolled or not.

function(snapshot out)
  execute_process(COMMAND ${LIAISON} --data ${data} sync --status --json OUTPUT_VARIABLE st RESULT_VARIABLE rc1)
  execute_process(COMMAND ${LIAISON} --data ${data} queue list --json OUTPUT_VARIABLE q RESULT_VARIABLE rc2)
  execute_process(COMMAND ${LIAISON} --data ${data} duty list --json OUTPUT_VARIABLE d RESULT_VARIABLE rc3)
  if(NOT rc1 EQUAL 0 OR NOT rc2 EQUAL 0 OR NOT rc3 EQUAL 0)
    message(FATAL_ERROR "reading the store failed")
  endif()
  string(JSON pending GET "${st}" pending)
  string(JSON duty LENGTH "${d}")
  set(${out} "pending=${pending} duty=${duty} queue=${q}" PARENT_SCOPE)
endfunction()

snapshot(before)
if(before MATCHES "pending=0 ")
  message(FATAL_ERROR "the demo station has nothing to sync: the check would prove nothing (${before})")
endif()
foreach(view queue kiosk-welcome kiosk-deputy kiosk-ticket)
  execute_process(COMMAND ${LIAISON} --data ${data} --screenshot ${DIR}/${view}.png --view ${view}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "screenshot of ${view} failed (${rc}): ${err}")
  endif()
  check_pngs(1280x800 ${DIR}/${view}.png)
endforeach()
snapshot(after)
if(NOT before STREQUAL after)
  message(FATAL_ERROR "screenshots wrote into the station:\n before: ${before}\n after:  ${after}")
endif()
message(STATUS "unchanged: ${after}")
