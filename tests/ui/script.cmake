# A script on the demo station: VIEW to start in, SCRIPT to run, SIZE and LANG; PNGs checked.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
set(lang)
if(LANG)
  set(lang --lang ${LANG})
endif()
run_script(--demo --size ${SIZE} ${lang} --view ${VIEW} --script ${SCRIPT})
file(GLOB pngs ${DIR}/*.png)
check_pngs(${SIZE} ${pngs})
