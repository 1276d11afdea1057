//===- MambaDialect.td - the mamba dialect, its enums and attributes ------===//
//
// The `mamba` dialect represents the state-space-model operations of Mamba-1
// and Mamba-2 with tensor semantics, plus the few graph ops a language model
// needs around them. Tiling and launch planning record their choices as the
// `#mamba.tile` and `#mamba.launch` attributes defined here.
//
//===----------------------------------------------------------------------===//

#ifndef MAMBA_DIALECT_TD
#define MAMBA_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Mamba_Dialect : Dialect {
  let name = "mamba";
  let cppNamespace = "::mlir::mamba";
  let summary = "State-space-model operations of Mamba-1 and Mamba-2";
  let description = [{
    Ops with tensor semantics for the selective scan (Mamba-1), the chunked
    SSD scan (Mamba-2), the causal depthwise conv1d, their single-token decode
    forms, and the norms, GEMMs and embedding that a Mamba language model
    needs. Shape dimensions may be dynamic (`?`) where they are only known at
    run time (batch, sequence length); every dimension that a kernel is
    specialised on (d_state, headdim, ngroups, d_conv) must be static.

    Activations (`itype`) are f32, f16 or bf16. Recurrent state and
    accumulation are f32 unless an op says otherwise.
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Mamba_ConvLayout : I32EnumAttr<"ConvLayout", "memory layout of a conv1d input", [
    I32EnumAttrCase<"channel_first", 0>,
    I32EnumAttrCase<"channel_last", 1>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::mamba";
}
def Mamba_ConvLayoutAttr : EnumAttr<Mamba_Dialect, Mamba_ConvLayout, "layout">;

def Mamba_Activation : I32EnumAttr<"Activation", "pointwise activation", [
    I32EnumAttrCase<"none", 0>,
    I32EnumAttrCase<"silu", 1>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::mamba";
}
def Mamba_ActivationAttr : EnumAttr<Mamba_Dialect, Mamba_Activation, "activation">;

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

class Mamba_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Mamba_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Mamba_TileAttr : Mamba_Attr<"Tile", "tile"> {
  let summary = "the tile plan of a kernel op (named integer parameters)";
  let description = [{
    Records how a tiling pass maps an op onto blocks, warps and threads, for
    example `#mamba.tile<threads = 128, items = 16, channels = 2>`. Each tile
    pass documents and verifies the parameters it sets; the launch planner and
    the CUDA emitter read them. Parameters keep the order they were given in.
  }];
  let parameters = (ins
    ArrayRefParameter<"::mlir::mamba::TileParam", "named tile parameters">:$params);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The value of parameter `name`, or std::nullopt when it is absent.
    std::optional<int64_t> lookup(::llvm::StringRef name) const;
    /// The value of parameter `name`; the caller has checked it exists.
    int64_t get(::llvm::StringRef name) const { return *lookup(name); }
    /// Builds an attribute from (name, value) pairs in the given order.
    static TileAttr get(::mlir::MLIRContext *ctx,
        ::llvm::ArrayRef<std::pair<::llvm::StringRef, int64_t>> params);
  }];
}

def Mamba_LaunchAttr : Mamba_Attr<"Launch", "launch"> {
  let summary = "the launch configuration of a kernel op";
  let description = [{
    `#mamba.launch<grid = [?, 40, 1], block = [128, 1, 1], smem = 12288,
    regs = 128>`. A grid extent of `?` depends on a run-time size (batch or
    sequence length) and is computed at launch from the op's launch rule;
    static extents are fixed at compile time. `smem` is dynamic shared memory
    in bytes, `regs` the register budget per thread that the kernel is
    compiled under (`__launch_bounds__`).
  }];
  let parameters = (ins
    ArrayRefParameter<"int64_t", "grid extents (x, y, z); kDynamic when run-time">:$grid,
    ArrayRefParameter<"int64_t", "block extents (x, y, z)">:$block,
    "int64_t":$smem,
    "int64_t":$regs);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    int64_t threadsPerBlock() const {
      int64_t n = 1;
      for (int64_t b : getBlock()) n *= b;
      return n;
    }
  }];
}

#endif // MAMBA_DIALECT_TD
