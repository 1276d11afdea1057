//===- MambaDialect.h - the mamba dialect -----------------------*- C++ -*-===//
#ifndef MAMBA_DIALECT_MAMBADIALECT_H
#define MAMBA_DIALECT_MAMBADIALECT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "llvm/ADT/Hashing.h"

namespace mlir {
namespace mamba {

/// One named integer of a `#mamba.tile<...>` attribute.
struct TileParam {
  StringAttr name;
  int64_t value;
  bool operator==(const TileParam &other) const {
    return name == other.name && value == other.value;
  }
};

inline llvm::hash_code hash_value(const TileParam &p) {
  return llvm::hash_combine(p.name, p.value);
}

} // namespace mamba
} // namespace mlir

#include "dialect/MambaDialect.h.inc"
#include "dialect/MambaEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/MambaAttrs.h.inc"

#endif // MAMBA_DIALECT_MAMBADIALECT_H
