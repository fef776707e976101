# Shared by the UI test scripts (cmake -P): a headless app in a fresh folder, and the PNG check.
set(ENV{SDL_VIDEODRIVER} dummy)
set(ENV{SDL_RENDER_DRIVER} software)
set(ENV{SDL_AUDIODRIVER} dummy)
set(ENV{LIAISON_STRICT_GLYPHS} 1)  # a drawn character without a glyph fails the run
file(REMOVE_RECURSE ${DIR})
file(MAKE_DIRECTORY ${DIR})

# Every PNG given must exist, be SIZE (WxH), not be blank (tests/ui/png_check.cpp).
function(check_pngs size)
  string(REPLACE "x" ";" wh ${size})
  list(GET wh 0 w)
  list(GET wh 1 h)
  foreach(png ${ARGN})
    execute_process(COMMAND ${CHECK} ${png} ${w} ${h} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${png} check failed")
    endif()
  endforeach()
endfunction()

# At least MIN screenshots in DIR (WHAT names them when there are fewer), each checked as above.
function(check_screenshots size min what)
  file(GLOB pngs ${DIR}/*.png)
  list(LENGTH pngs n)
  if(n LESS ${min})
    message(FATAL_ERROR "expected ${what} screenshots, got ${n}")
  endif()
  check_pngs(${size} ${pngs})
endfunction()

# Runs the app on DIR/data with the arguments given (a --script run), from DIR; a non-zero exit
# fails the test with the app's standard error.
function(run_script)
  execute_process(COMMAND ${LIAISON} --data ${DIR}/data ${ARGN}
                  WORKING_DIRECTORY ${DIR} RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "script failed (${rc}): ${err}")
  endif()
  # what `expect-count` measured, into the test's log
  string(REGEX MATCHALL "measured: [^\n]*" measured "${out}")
  foreach(line ${measured})
    message(STATUS "${line}")
  endforeach()
endfunction()

# `liaison --data DIR/data ARGS...` (a verb with --json), its standard output in OUT; a failing
# command fails the test with its message.
function(cli_json out)
  execute_process(COMMAND ${LIAISON} --data ${DIR}/data ${ARGN}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE json ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "liaison ${ARGN} failed: ${err}")
  endif()
  set(${out} "${json}" PARENT_SCOPE)
endfunction()
