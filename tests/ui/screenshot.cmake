# One screenshot test: fresh data folder (demo data unless NODEMO), screenshot, check the PNG.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
set(png ${DIR}/${VIEW}-${SIZE}-${LANG}.png)
set(demo --demo)
if(NODEMO)
  set(demo)
endif()
execute_process(COMMAND ${LIAISON} --data ${DIR}/data ${demo} --screenshot ${png} --view ${VIEW} --size ${SIZE} --lang ${LANG}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "liaison exited ${rc}: ${err}")
endif()
check_pngs(${SIZE} ${png})
