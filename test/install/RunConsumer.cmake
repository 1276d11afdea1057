# The out-of-tree use of an installed mamba-jit, as ctest's install-consumer
# runs it:
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DSOURCE_DIR=... -P RunConsumer.cmake
# 1. `cmake --install BUILD_DIR --prefix WORK_DIR/prefix`;
# 2. configures and builds test/install/consumer against that prefix alone
#    (no MLIR, no source tree: CMAKE_PREFIX_PATH is the prefix);
# 3. runs it and checks that it found the installed demo model and that its
#    greedy text equals the installed mamba-run's, and its rms_norm the
#    arithmetic below.
set(prefix ${WORK_DIR}/prefix)
set(consumer_build ${WORK_DIR}/consumer)
file(REMOVE_RECURSE ${prefix} ${consumer_build})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

function(expect text what)
  string(FIND "${text}" "${what}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected '${what}' in:\n${text}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(path bin/mamba-run bin/mamba-opt bin/mamba-translate bin/mamba-tune
    bin/mamba-server share/mamba-jit/tuning/sm_90.json
    include/mamba-jit/runtime/Mamba.h lib/libmamba-jit.so
    lib/cmake/MambaJIT/MambaJITConfig.cmake
    share/mamba-jit/models/demo/model.safetensors)
  if(NOT EXISTS ${prefix}/${path})
    message(FATAL_ERROR "the install lacks ${path}")
  endif()
endforeach()

run(${CMAKE_COMMAND} -G Ninja -S ${SOURCE_DIR}/test/install/consumer
    -B ${consumer_build} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
expect("${out}" "MambaJIT_DIR=${prefix}/lib/cmake/MambaJIT")
expect("${out}" "MambaJIT_DEMO_MODEL_DIR=${prefix}/share/mamba-jit/models/demo")
run(${CMAKE_COMMAND} --build ${consumer_build})

set(prompt "And God said")
run(${CMAKE_COMMAND} -E env --unset=MAMBA_MODEL --unset=MAMBA_DEMO_MODEL
    ${consumer_build}/consumer "${prompt}")
set(consumer_out "${out}")
message(STATUS "consumer printed:\n${consumer_out}")
expect("${consumer_out}" "version: consumer (mamba-jit) ")
expect("${consumer_out}" "model: ${prefix}/share/mamba-jit/models/demo\n")
# rms = sqrt((1 + 4 + 9 + 16) / 4 + 1e-5) = 2.738615; y = x / rms * w.
expect("${consumer_out}" "rms_norm: 0.18257 0.73030 1.64317 2.92119\n")
expect("${consumer_out}" "op: func.func @kernel")

# Greedy, no repetition penalty, 20 tokens: the installed mamba-run's text.
run(${prefix}/bin/mamba-run --prompt "${prompt}" --temperature 0
    --repetition-penalty 1 --max-new-tokens 20 --device cpu -q)
expect("${consumer_out}" "text: ${out}")
string(LENGTH "${out}" length)
if(length LESS 40)
  message(FATAL_ERROR "mamba-run generated too little: '${out}'")
endif()
