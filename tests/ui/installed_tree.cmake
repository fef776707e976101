# The app installed under a prefix of its own finds its assets there with no help: no
# LIAISON_ASSETS and run from / so no ./assets either (docs/packaging.md). Strict glyphs: a
# missing font list or translation fails the run.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
set(prefix ${DIR}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --component liaison --prefix ${prefix}
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${err}")
endif()
if(NOT EXISTS ${prefix}/share/liaison/i18n/zh.json OR NOT EXISTS ${prefix}/share/applications/liaison.desktop)
  message(FATAL_ERROR "the installed tree lacks its assets or desktop entry")
endif()
set(png ${DIR}/installed-home.png)
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=LIAISON_ASSETS
                  ${prefix}/bin/liaison --data ${DIR}/data --demo --screenshot ${png} --view home --size 1280x800 --lang zh
                WORKING_DIRECTORY / RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the installed liaison exited ${rc}: ${err}")
endif()
check_pngs(1280x800 ${png})
