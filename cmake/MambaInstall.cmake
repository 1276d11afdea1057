# `cmake --install build --prefix PREFIX` lays out
#   PREFIX/bin/            mamba-run, mamba-opt, mamba-translate, mamba-tune,
#                          mamba-server, mamba-bench (with the CUDA backend)
#   PREFIX/lib/            libmamba-jit.so (MLIR and LLVM inside)
#   PREFIX/include/mamba-jit/   the public headers (runtime/Mamba.h, ...)
#   PREFIX/share/mamba-jit/models/demo   the demo model
#   PREFIX/share/mamba-jit/tuning        the shipped tuning databases
#   PREFIX/lib/cmake/MambaJIT/  the package: find_package(MambaJIT CONFIG)
#                               gives the imported target MambaJIT::runtime
# The tools link MLIR and LLVM statically; nothing outside PREFIX but the
# system's libstdc++, OpenBLAS and (for the GPU) the CUDA driver, NVRTC and
# cuBLASLt is needed at run time.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(MAMBA_INSTALL_TOOLS mamba-run mamba-opt mamba-translate mamba-tune
  mamba-server)
if(TARGET mamba-bench)
  list(APPEND MAMBA_INSTALL_TOOLS mamba-bench)
endif()
install(TARGETS ${MAMBA_INSTALL_TOOLS}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(TARGETS MambaJitShared EXPORT MambaJITTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})

# The public API and the headers it includes; none includes MLIR, LLVM or
# CUDA.
set(MAMBA_PUBLIC_HEADERS
  codegen/device/Params.h
  frontend/OpSpecs.h
  runtime/DType.h
  runtime/DefaultModel.h
  runtime/Gpu.h
  runtime/Jit.h
  runtime/Mamba.h
  runtime/Progress.h
  runtime/Result.h
  runtime/Version.h
  runtime/cpu/CpuKernels.h
  runtime/model/ModelConfig.h
  runtime/text/Sampling.h
  runtime/text/Tokenizer.h
)
foreach(_header IN LISTS MAMBA_PUBLIC_HEADERS)
  get_filename_component(_dir ${_header} DIRECTORY)
  install(FILES ${PROJECT_SOURCE_DIR}/${_header}
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mamba-jit/${_dir})
endforeach()

install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/demo
  DESTINATION ${CMAKE_INSTALL_DATADIR}/mamba-jit/models)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/tuning
  DESTINATION ${CMAKE_INSTALL_DATADIR}/mamba-jit)

set(MAMBA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/MambaJIT)
install(EXPORT MambaJITTargets NAMESPACE MambaJIT::
  DESTINATION ${MAMBA_CMAKE_DIR})
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/MambaJITConfig.cmake.in
  ${PROJECT_BINARY_DIR}/MambaJITConfig.cmake
  INSTALL_DESTINATION ${MAMBA_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_DATADIR)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/MambaJITConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/MambaJITConfig.cmake
  ${PROJECT_BINARY_DIR}/MambaJITConfigVersion.cmake
  DESTINATION ${MAMBA_CMAKE_DIR})
