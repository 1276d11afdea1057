import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "MAMBA"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["unit", "fuzz", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mamba_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    [
        ToolSubst("mamba-opt", unresolved="fatal"),
        ToolSubst("mamba-translate", unresolved="fatal"),
        ToolSubst("mamba-tune", unresolved="fatal"),
        ToolSubst("mamba-run", unresolved="fatal"),
    ],
    [config.mamba_tools_dir],
)
# Multi-input tests (a pass option per input) are cut with split-file.
llvm_config.add_tool_substitutions(
    [ToolSubst("split-file", unresolved="fatal")], [config.llvm_tools_dir])
# Scripts under scripts/ that have lit tests (test/scripts).
config.substitutions.append(
    ("%scripts", os.path.join(os.path.dirname(config.test_source_root), "scripts")))
# examples/ (its .mlir inputs) and the example programs built from it.
config.substitutions.append(
    ("%examples_bin", os.path.join(config.mamba_obj_root, "examples")))
config.substitutions.append(
    ("%examples", os.path.join(config.mamba_src_root, "examples")))
