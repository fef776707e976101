# End to end: the script types and saves a visit and finds it by search; the command line then
# confirms the visit is in the store.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
run_script(--demo --size ${SIZE} --script ${SCRIPT})
check_pngs(${SIZE} ${DIR}/e2e-form.png ${DIR}/e2e-list.png ${DIR}/e2e-detail.png)
cli_json(json visit list --search 路灯不亮 --json)
string(JSON n LENGTH "${json}")
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected exactly one saved visit, got ${n}: ${json}")
endif()
string(JSON subject GET "${json}" 0 subject)
string(JSON visitor GET "${json}" 0 visitor)
string(JSON category GET "${json}" 0 category)
string(JSON route GET "${json}" 0 route)
string(JSON people GET "${json}" 0 people)
if(NOT subject STREQUAL "小区门口𠀋字路灯不亮" OR NOT visitor STREQUAL "王䶮" OR NOT category STREQUAL "urban"
   OR NOT route STREQUAL "township" OR NOT people EQUAL 3)
  message(FATAL_ERROR "saved visit differs from what was typed: ${json}")
endif()
# Nothing typed is left as a draft once saved.
message(STATUS "saved: ${json}")
