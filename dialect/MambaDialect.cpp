//===- MambaDialect.cpp - the mamba dialect and its attributes ------------===//

#include "dialect/MambaDialect.h"
#include "dialect/MambaOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::mamba;

#include "dialect/MambaDialect.cpp.inc"
#include "dialect/MambaEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/MambaAttrs.cpp.inc"

void MambaDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialect/MambaOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialect/MambaAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// TileAttr
//===----------------------------------------------------------------------===//

std::optional<int64_t> TileAttr::lookup(StringRef name) const {
  for (const TileParam &p : getParams())
    if (p.name.getValue() == name)
      return p.value;
  return std::nullopt;
}

TileAttr TileAttr::get(MLIRContext *ctx,
                       ArrayRef<std::pair<StringRef, int64_t>> params) {
  SmallVector<TileParam> list;
  for (auto &[name, value] : params)
    list.push_back({StringAttr::get(ctx, name), value});
  return TileAttr::get(ctx, list);
}

LogicalResult
TileAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                 ArrayRef<TileParam> params) {
  llvm::StringSet<> seen;
  for (const TileParam &p : params) {
    if (!seen.insert(p.name.getValue()).second)
      return emitError() << "tile parameter '" << p.name.getValue()
                         << "' is given twice";
    if (p.value < 0)
      return emitError() << "expects tile parameter '" << p.name.getValue()
                         << "' >= 0, got " << p.value;
  }
  return success();
}

// #mamba.tile<threads = 128, items = 16>
Attribute TileAttr::parse(AsmParser &parser, Type) {
  SmallVector<TileParam> params;
  if (parser.parseLess())
    return {};
  if (succeeded(parser.parseOptionalGreater()))
    return TileAttr::get(parser.getContext(), params);
  auto parseOne = [&]() -> ParseResult {
    std::string name;
    int64_t value;
    if (parser.parseKeywordOrString(&name) || parser.parseEqual() ||
        parser.parseInteger(value))
      return failure();
    params.push_back({StringAttr::get(parser.getContext(), name), value});
    return success();
  };
  if (parser.parseCommaSeparatedList(parseOne) || parser.parseGreater())
    return {};
  return TileAttr::getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                              parser.getContext(), params);
}

void TileAttr::print(AsmPrinter &printer) const {
  printer << "<";
  llvm::interleaveComma(getParams(), printer, [&](const TileParam &p) {
    printer.printKeywordOrString(p.name.getValue());
    printer << " = " << p.value;
  });
  printer << ">";
}

//===----------------------------------------------------------------------===//
// LaunchAttr
//===----------------------------------------------------------------------===//

LogicalResult
LaunchAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                   ArrayRef<int64_t> grid, ArrayRef<int64_t> block,
                   int64_t smem, int64_t regs) {
  if (grid.size() != 3 || block.size() != 3)
    return emitError() << "expects 3 grid and 3 block extents, got "
                       << grid.size() << " and " << block.size();
  for (int64_t g : grid)
    if (g != ShapedType::kDynamic && g < 1)
      return emitError() << "expects grid extents >= 1 or '?', got " << g;
  for (int64_t b : block)
    if (b < 1)
      return emitError() << "expects block extents >= 1, got "
                         << (b == ShapedType::kDynamic ? "'?'"
                                                       : std::to_string(b));
  if (smem < 0)
    return emitError() << "expects smem >= 0, got " << smem;
  if (regs < 0 || regs > 255)
    return emitError() << "expects regs in [0, 255], got " << regs;
  return success();
}

static ParseResult parseExtents(AsmParser &parser, StringRef keyword,
                                SmallVectorImpl<int64_t> &out) {
  if (parser.parseKeyword(keyword) || parser.parseEqual())
    return failure();
  return parser.parseCommaSeparatedList(
      AsmParser::Delimiter::Square, [&]() -> ParseResult {
        if (succeeded(parser.parseOptionalQuestion())) {
          out.push_back(ShapedType::kDynamic);
          return success();
        }
        int64_t v;
        if (parser.parseInteger(v))
          return failure();
        out.push_back(v);
        return success();
      });
}

// #mamba.launch<grid = [?, 40, 1], block = [128, 1, 1], smem = 0, regs = 128>
Attribute LaunchAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> grid, block;
  int64_t smem = 0, regs = 0;
  if (parser.parseLess() || parseExtents(parser, "grid", grid) ||
      parser.parseComma() || parseExtents(parser, "block", block) ||
      parser.parseComma() || parser.parseKeyword("smem") ||
      parser.parseEqual() || parser.parseInteger(smem) ||
      parser.parseComma() || parser.parseKeyword("regs") ||
      parser.parseEqual() || parser.parseInteger(regs) || parser.parseGreater())
    return {};
  return LaunchAttr::getChecked(
      [&] { return parser.emitError(parser.getNameLoc()); },
      parser.getContext(), grid, block, smem, regs);
}

void LaunchAttr::print(AsmPrinter &printer) const {
  auto extents = [&](ArrayRef<int64_t> values) {
    printer << "[";
    llvm::interleaveComma(values, printer, [&](int64_t v) {
      if (v == ShapedType::kDynamic)
        printer << "?";
      else
        printer << v;
    });
    printer << "]";
  };
  printer << "<grid = ";
  extents(getGrid());
  printer << ", block = ";
  extents(getBlock());
  printer << ", smem = " << getSmem() << ", regs = " << getRegs() << ">";
}
