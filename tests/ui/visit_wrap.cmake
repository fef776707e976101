# The long complaint of visit_wrap.script is saved exactly as typed: no soft line break leaks.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
execute_process(COMMAND ${LIAISON} --data ${DIR}/data --demo --size ${SIZE} --script ${SCRIPT}
                WORKING_DIRECTORY ${DIR} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "script failed (${rc}): ${err}")
endif()
check_pngs(${SIZE} ${DIR}/wrap-typing.png ${DIR}/wrap-shown.png)
execute_process(COMMAND ${LIAISON} --data ${DIR}/data visit list --search 路灯长期不亮 --json
                RESULT_VARIABLE rc OUTPUT_VARIABLE json ERROR_VARIABLE err)
string(JSON id GET "${json}" 0 id)
execute_process(COMMAND ${LIAISON} --data ${DIR}/data visit show ${id} --json
                RESULT_VARIABLE rc OUTPUT_VARIABLE vjson ERROR_VARIABLE err)
string(JSON content GET "${vjson}" content)
string(REPEAT "晚上小区门口的路灯一直不亮，老人出行很不方便，希望尽快维修。Street light No.3 is out. " 3 typed)
if(NOT content STREQUAL typed)
  message(FATAL_ERROR "the saved 诉求 differs from what was typed:\n[${content}]\n[${typed}]")
endif()
message(STATUS "saved as typed: ${content}")
