# The sign-in view (docs/app.md "Sign-in"): a station whose keyring has 王芳 (administrator) and
# 李明 (staff); the app started without LIAISON_USER shows the tiles, a wrong PIN says how many
# tries are left, the right one reaches home. SCRIPT in LANG at SIZE; the PNGs are checked.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
cli_json(ignored init --station 城东联络站)
execute_process(COMMAND ${CMAKE_COMMAND} -E echo 246813 OUTPUT_FILE ${DIR}/pin.txt)
execute_process(COMMAND ${LIAISON} --data ${DIR}/data user add --name 李明 --role staff --pin-stdin
                INPUT_FILE ${DIR}/pin.txt RESULT_VARIABLE rc ERROR_VARIABLE err)
file(REMOVE ${DIR}/pin.txt)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "user add failed: ${err}")
endif()
# The tablet as staff meet it: nobody signed in from the environment.
unset(ENV{LIAISON_USER})
unset(ENV{LIAISON_PIN})
run_script(--size ${SIZE} --lang ${LANG} --script ${SCRIPT})
check_screenshots(${SIZE} 2 "the tiles and the PIN pad")
