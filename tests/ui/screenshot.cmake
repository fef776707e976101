# One screenshot test: fresh data folder (demo data unless NODEMO), screenshot, check the PNG.
# TEXT: the text size (px) for the run; kiosk views also check that every control is wholly on screen.
# INSIDE: an id prefix whose widgets must all be wholly inside their windows (--expect-inside).
# NOW: the time of a kiosk view ("YYYY-MM-DD HH:MM"; 10:30 on a fixed day unless given).
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
set(png ${DIR}/${VIEW}-${SIZE}-${LANG}.png)
set(demo --demo)
if(NODEMO)
  set(demo)
endif()
set(extra)
if(VIEW MATCHES "^kiosk")
  # the kiosk never makes a visitor scroll: every control wholly on screen; a fixed time, so the
  # deputies on duty (the demo's 09:00–11:30 slot) are the same on every run
  if(NOT NOW)
    set(NOW "2026-03-16 10:30")
  endif()
  list(APPEND extra --expect-inside kiosk. --now ${NOW})
endif()
if(TEXT)
  list(APPEND extra --text-size ${TEXT})
endif()
if(INSIDE)
  list(APPEND extra --expect-inside ${INSIDE})
endif()
execute_process(COMMAND ${LIAISON} --data ${DIR}/data ${demo} --screenshot ${png} --view ${VIEW} --size ${SIZE} --lang ${LANG} ${extra}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "liaison exited ${rc}: ${err}")
endif()
check_pngs(${SIZE} ${png})
