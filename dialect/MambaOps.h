//===- MambaOps.h - ops of the mamba dialect --------------------*- C++ -*-===//
#ifndef MAMBA_DIALECT_MAMBAOPS_H
#define MAMBA_DIALECT_MAMBAOPS_H

#include "dialect/MambaDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <limits>

#define GET_OP_CLASSES
#include "dialect/MambaOps.h.inc"

#endif // MAMBA_DIALECT_MAMBAOPS_H
