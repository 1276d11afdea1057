# Runs scripts/server-load.py on the demo model on the CPU and checks its JSON.
file(REMOVE ${JSON})
execute_process(
  COMMAND ${PYTHON} ${SCRIPT} --requests 6 --clients 3 --prompt-tokens 3-40
    --max-tokens 6 --prefix-tokens 160 --prefix-pairs 2 --vocab 250
    --json ${JSON} -- ${SERVER} --device cpu -q --slots 4
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "server-load.py exited with ${rc}")
endif()
file(READ ${JSON} out)
foreach(phase concurrent sequential)
  string(JSON requests GET "${out}" ${phase} requests)
  string(JSON tokens GET "${out}" ${phase} generated_tokens)
  if(NOT requests EQUAL 6 OR tokens LESS 6)
    message(FATAL_ERROR "${phase}: ${requests} requests, ${tokens} tokens")
  endif()
endforeach()
string(JSON hits GET "${out}" prefix cache_hits)
string(JSON misses GET "${out}" prefix_no_cache cache_hits)
if(NOT hits EQUAL 2 OR NOT misses EQUAL 0)
  message(FATAL_ERROR "prefix cache hits: ${hits} with the cache, ${misses} without")
endif()
message(STATUS "server-load: ok")
