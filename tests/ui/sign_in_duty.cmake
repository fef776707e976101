# Today's duty on the sign-in view (docs/app.md "Sign-in"): a station whose roster on 2026-03-16
# has 陈明 09:00–12:00 and 刘洋 14:00–17:00 (and 赵强 08:00–10:00, over at 10:30), each with an
# account, and 李明 (staff). The app runs at 10:30 (--now): after a sign-out the tiles of 陈明
# and 刘洋 come first; 陈明 signing in starts his duty, the visit saved then names him, 退出登录
# ends it. SCRIPT in LANG at SIZE; the PNGs are checked, then the store through the command line,
# then a cold start.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
cli_json(ignored init --station 城东联络站)
set(day 2026-03-16)
foreach(d 陈明 刘洋 赵强)
  cli_json(ignored deputy add --name ${d})
endforeach()
cli_json(ignored duty add --date ${day} --start 09:00 --end 12:00 --deputy 陈明)
cli_json(ignored duty add --date ${day} --start 14:00 --end 17:00 --deputy 刘洋)
cli_json(ignored duty add --date ${day} --start 08:00 --end 10:00 --deputy 赵强)
execute_process(COMMAND ${CMAKE_COMMAND} -E echo 246813 OUTPUT_FILE ${DIR}/pin.txt)
foreach(who "李明;staff" "陈明;deputy" "刘洋;deputy" "赵强;deputy")
  list(GET who 0 name)
  list(GET who 1 role)
  set(link)
  if(role STREQUAL "deputy")
    set(link --deputy ${name})
  endif()
  execute_process(COMMAND ${LIAISON} --data ${DIR}/data user add --name ${name} --role ${role} ${link} --pin-stdin
                  INPUT_FILE ${DIR}/pin.txt RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "user add ${name} failed: ${err}")
  endif()
endforeach()
file(REMOVE ${DIR}/pin.txt)
# The tablet as the station meets it: nobody signed in from the environment.
set(user $ENV{LIAISON_USER})
set(pin $ENV{LIAISON_PIN})
unset(ENV{LIAISON_USER})
unset(ENV{LIAISON_PIN})
run_script(--size ${SIZE} --lang ${LANG} --now "${day} 10:30" --script ${SCRIPT})
set(ENV{LIAISON_USER} ${user})
set(ENV{LIAISON_PIN} ${pin})
check_screenshots(${SIZE} 3 "the duty tiles, home and the form")

# The visit saved while 陈明 was on duty names him; his record has the shift, ended.
cli_json(visits visit list --deputy 陈明 --json)
string(JSON n LENGTH "${visits}")
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected the visit saved on duty under 陈明, got ${n}: ${visits}")
endif()
cli_json(record deputy record 陈明 --json)
string(JSON entries GET "${record}" entries)
if(NOT entries MATCHES "\"shift\"" OR NOT entries MATCHES "10:3[0-9]-10:3[0-9]")
  message(FATAL_ERROR "陈明's record has no ended shift from 10:30: ${entries}")
endif()

# The next cold start (the store closed until a PIN): today's duty first from the duty board the
# last session left beside the keyring.
if(NOT EXISTS ${DIR}/data/duty_board.json)
  message(FATAL_ERROR "no duty board after a session")
endif()
unset(ENV{LIAISON_USER})
unset(ENV{LIAISON_PIN})
set(heading 今日值班代表)
if(LANG STREQUAL "en")
  set(heading "Deputies on duty today")
endif()
file(WRITE ${DIR}/cold.script "expect-text ${heading}\nexpect-text 09:00–12:00\nscreenshot sign-in-cold.png\n")
run_script(--size ${SIZE} --lang ${LANG} --now "${day} 10:30" --script ${DIR}/cold.script)
check_pngs(${SIZE} ${DIR}/sign-in-cold.png)
