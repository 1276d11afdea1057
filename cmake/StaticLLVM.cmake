# Debian's static MLIR archives were exported with LLVM_LINK_LLVM_DYLIB=ON, so
# their INTERFACE_LINK_LIBRARIES name the shared `LLVM` target. Replace it with
# the static component archives, so that every binary is self-contained and
# runs on machines without LLVM (the GPU machine has none).
set(LLVM_LINK_LLVM_DYLIB OFF)
llvm_map_components_to_libnames(MAMBA_STATIC_LLVM_LIBS Support)

get_property(_mamba_mlir_libs GLOBAL PROPERTY MLIR_ALL_LIBS)
foreach(_lib IN LISTS _mamba_mlir_libs)
  if(NOT TARGET ${_lib})
    continue()
  endif()
  get_target_property(_type ${_lib} TYPE)
  if(NOT _type STREQUAL "STATIC_LIBRARY")
    continue()
  endif()
  get_target_property(_ill ${_lib} INTERFACE_LINK_LIBRARIES)
  if(_ill)
    list(TRANSFORM _ill REPLACE "^LLVM$" "${MAMBA_STATIC_LLVM_LIBS}")
    set_target_properties(${_lib} PROPERTIES INTERFACE_LINK_LIBRARIES "${_ill}")
  endif()
endforeach()
