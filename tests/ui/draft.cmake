# A half-typed visit survives the app being killed (SIGKILL, no chance to save on exit).
set(ENV{SDL_VIDEODRIVER} dummy)
set(ENV{SDL_RENDER_DRIVER} software)
set(ENV{SDL_AUDIODRIVER} dummy)
file(REMOVE_RECURSE ${DIR})
file(MAKE_DIRECTORY ${DIR})
# execute_process kills the child when the timeout expires.
execute_process(COMMAND ${LIAISON} --data ${DIR}/data --demo --script ${SCRIPT_DIR}/draft_type.script
                WORKING_DIRECTORY ${DIR} TIMEOUT 8 RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "the first run was expected to be killed, it exited: ${err}")
endif()
execute_process(COMMAND ${LIAISON} --data ${DIR}/data --script ${SCRIPT_DIR}/draft_restore.script
                WORKING_DIRECTORY ${DIR} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "draft not restored (${rc}): ${err}")
endif()
execute_process(COMMAND ${CHECK} ${DIR}/draft-restored.png 1280 800 RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "screenshot check failed")
endif()
