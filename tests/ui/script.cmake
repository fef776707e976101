# A script on the demo station: VIEW to start in, SCRIPT to run, SIZE and LANG; PNGs checked.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
set(lang)
if(LANG)
  set(lang --lang ${LANG})
endif()
execute_process(COMMAND ${LIAISON} --data ${DIR}/data --demo --size ${SIZE} ${lang} --view ${VIEW} --script ${SCRIPT}
                WORKING_DIRECTORY ${DIR} RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "script failed (${rc}): ${err}")
endif()
file(GLOB pngs ${DIR}/*.png)
check_pngs(${SIZE} ${pngs})
