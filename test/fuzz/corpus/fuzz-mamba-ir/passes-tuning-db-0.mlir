// The tile passes consult a tuning database (passes/TuningDb.h) before their
// heuristics: the record with the op's key (op name, operand types,
// attributes) gives the tile (tile_source = "db"); without one, the nearest
// comparable record whose tile verifies (tile_source = "db-nearest"); else
// the heuristic (no tile_source). A record whose tile does not verify is
// passed over with a warning. The `tile` option still applies on top.

// The warning for @ssu_bad_record below comes before the IR.

// The record's tile, not the heuristic's (chunk 64, 16 warps).
// OVR-LABEL: func.func @ssd_exact
// OVR: tile = #mamba.tile<chunk = 32, p_tile = 64, warps = 16, stages = 2, segments = 3>
// OVR-SAME: tile_source = "db"
// PIPE-LABEL: func.func @ssd_exact
// PIPE: mamba.ssd
// PIPE-SAME: kernel = "mamba_ssd_bf16_
// PIPE-SAME: tile = #mamba.tile<chunk = 32, p_tile = 64, warps = 8, stages = 2, segments = 3>
// PIPE-SAME: tile_source = "db"
func.func @ssd_exact(%x: tensor<1x?x80x64xbf16>, %dt: tensor<1x?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC z(%x) : (tensor<1x?x80x64xbf16>, tensor<1x?x80xbf16>, tensor<80xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x80x64xbf16>) -> tensor<1x?x80x64xbf16>
  return %y : tensor<1x?x80x64xbf16>
}

// 40 heads instead of 80: no exact record; the 80-head one is the nearest
// (distance 3 x |log2(40/80)|) and its tile verifies here.
func.func @ssd_nearest(%x: tensor<1x?x40x64xbf16>, %dt: tensor<1x?x40xbf16>, %A: tensor<40xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x40x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC z(%x) : (tensor<1x?x40x64xbf16>, tensor<1x?x40xbf16>, tensor<40xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<1x?x40x64xbf16>) -> tensor<1x?x40x64xbf16>
  return %y : tensor<1x?x40x64xbf16>
}

// Without z the attributes differ (operandSegmentSizes): no comparable
// record, the heuristic's tile.
func.func @ssd_other_options(%x: tensor<1x?x80x64xbf16>, %dt: tensor<1x?x80xbf16>, %A: tensor<80xf32>, %BC: tensor<1x?x1x128xbf16>) -> tensor<1x?x80x64xbf16> {
  %y = mamba.ssd %x, %dt, %A, %BC, %BC : (tensor<1x?x80x64xbf16>, tensor<1x?x80xbf16>, tensor<80xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x80x64xbf16>
  return %y : tensor<1x?x80x64xbf16>
}

// The exact record's tile (lanes_per_row = 3) does not verify: a warning
// that names the database (printed before the IR, checked first), and the
// heuristic's tile.
func.func @ssu_bad_record(%s: tensor<?x24x64x128xf32>, %x: tensor<?x24x64xbf16>, %dt: tensor<?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>)
  return %y, %s1 : tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>
}

// 48 heads: the nearest record is the 24-head one, whose tile does not
// verify, so it is passed over quietly and the heuristic chooses.
func.func @ssu_nearest_bad(%s: tensor<?x48x64x128xf32>, %x: tensor<?x48x64xbf16>, %dt: tensor<?x48xbf16>, %A: tensor<48xf32>, %BC: tensor<?x1x128xbf16>) -> (tensor<?x48x64xbf16>, tensor<?x48x64x128xf32>) {
  %y, %s1 = mamba.selective_state_update %s, %x, %dt, %A, %BC, %BC : (tensor<?x48x64x128xf32>, tensor<?x48x64xbf16>, tensor<?x48xbf16>, tensor<48xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>) -> (tensor<?x48x64xbf16>, tensor<?x48x64x128xf32>)
  return %y, %s1 : tensor<?x48x64xbf16>, tensor<?x48x64x128xf32>
}

// `mamba-tune records` prints a database of the module's kernel ops with the
// tiles they got, and says on stderr where each came from; `merge` writes a
// database the passes read.
// REC: "format": "mamba-tuning-db",
// REC: "op": "mamba.ssd",
// REC-NEXT: "operands": [
// REC-NEXT: "tensor<1x?x80x64xbf16>",
// REC: "tile": {
// REC-NEXT: "chunk": 32,
// RECERR: mamba.ssd(tensor<1x?x80x64xbf16>, {{.*}}: tile from db
// RECERR: mamba.ssd(tensor<1x?x40x64xbf16>, {{.*}}: tile from db-nearest
// RECERR: mamba.ssd(tensor<1x?x80x64xbf16>, {{.*}}: tile from the heuristic
// MERGE: mamba-tune merge: 2 records into {{.*}}merged.json
// MERGED-LABEL: func.func @ssd_exact
// MERGED: tile_source = "db"

// ARCH: tuning-db.json: gpu.arch: the tuning database is for sm_90, the pass plans for sm_80
// MISSING: missing.json: cannot open the tuning database
// NOTJSON: not-json.json: not valid JSON
// FORMAT: format.json: format: expected "mamba-tuning-db"
// FORMATOBJ: format-object.json: format: expected "mamba-tuning-db"
// VALUE: tile-value.json: records[0].tile.warps: expected an integer
// DUP: duplicate.json: records[1]: a second record for mamba.ssd(tensor<8xf32>)
// NOARCH: no-arch.json: gpu.arch: expected a string such as "sm_90"
