//===- TorchCheckpoint.cpp - torch.save state dicts -----------------------===//
//
// torch.save pickles (protocol 2 by default) a state dict as
//   collections.OrderedDict() + SETITEMS {name: tensor} [+ BUILD _metadata]
// where each tensor is
//   torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride,
//                                   requires_grad, backward_hooks[, metadata])
// and each storage a persistent id
//   ('storage', torch.FloatStorage, key, location, numel)
// resolved to the archive entry `<prefix>/data/<key>`. Newer dtypes use
// _rebuild_tensor_v3 with a torch.UntypedStorage and an explicit dtype.
//
//===----------------------------------------------------------------------===//

#include "runtime/model/TorchCheckpoint.h"

#include "runtime/model/ZipArchive.h"

#include <cstring>
#include <deque>
#include <map>
#include <optional>

namespace mamba {

namespace {

/// A Python value, as far as state dicts need them.
struct PyObj {
  enum class Kind {
    None,
    Bool,
    Int,
    Float,
    Str,
    Tuple,
    List,
    Dict,
    Global,
    Storage,
    Tensor
  };
  Kind kind = Kind::None;
  int64_t i = 0;              // Bool, Int
  double f = 0;               // Float
  std::string s;              // Str; Global: "module.name"; Storage: key
  std::vector<PyObj *> items; // Tuple, List
  std::vector<std::pair<PyObj *, PyObj *>> dict; // Dict
  // Storage: typed storages carry a dtype and count elements; an untyped
  // storage counts bytes. Global: the dtype a storage class or dtype names.
  std::optional<DType> dtype;
  int64_t numel = 0;
  // Tensor.
  PyObj *storage = nullptr;
  int64_t offset = 0;
  std::vector<int64_t> size, stride;
};
using Kind = PyObj::Kind;

const char *kindName(Kind k) {
  switch (k) {
  case Kind::None:
    return "None";
  case Kind::Bool:
    return "a bool";
  case Kind::Int:
    return "an int";
  case Kind::Float:
    return "a float";
  case Kind::Str:
    return "a str";
  case Kind::Tuple:
    return "a tuple";
  case Kind::List:
    return "a list";
  case Kind::Dict:
    return "a dict";
  case Kind::Global:
    return "a class or function";
  case Kind::Storage:
    return "a storage";
  case Kind::Tensor:
    return "a tensor";
  }
  return "?";
}

/// The globals a state dict may name, resolved when the GLOBAL opcode is read
/// so that anything else is refused before it is used.
enum class GlobalId {
  OrderedDict,
  RebuildTensorV2,
  RebuildTensorV3,
  RebuildParameter,
  TypedStorage,   // torch.FloatStorage etc.; dtype says which
  UntypedStorage, // torch.UntypedStorage
  DTypeObj,       // torch.float32 etc.
};

class Unpickler {
public:
  Unpickler(const uint8_t *data, size_t size, std::string where)
      : p_(data), n_(size), where_(std::move(where)) {}

  /// Runs the pickle to its STOP and returns the value it produced.
  Result<PyObj *> run();

private:
  Error error(const std::string &what) const {
    return Error(where_ + ": " + what + " at byte " + std::to_string(opPos_));
  }
  PyObj *make(Kind k) {
    arena_.emplace_back();
    arena_.back().kind = k;
    return &arena_.back();
  }
  bool need(size_t k) const { return k <= n_ - pos_; }
  Result<PyObj *> pop();
  Result<std::vector<PyObj *>> popToMark();
  Result<std::string> readLine();
  Status pushGlobal(const std::string &module, const std::string &name);
  Status reduce();
  Status persistentLoad();
  Result<PyObj *> rebuildTensor(const std::vector<PyObj *> &args, bool v3);

  const uint8_t *p_;
  size_t n_;
  std::string where_;
  size_t pos_ = 0;
  size_t opPos_ = 0;
  std::deque<PyObj> arena_;
  std::vector<PyObj *> stack_;
  std::vector<size_t> marks_;
  std::map<uint64_t, PyObj *> memo_;
  std::map<const PyObj *, GlobalId> globals_;
};

Result<PyObj *> Unpickler::pop() {
  if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back()))
    return error("stack underflow (corrupt pickle)");
  PyObj *o = stack_.back();
  stack_.pop_back();
  return o;
}

Result<std::vector<PyObj *>> Unpickler::popToMark() {
  if (marks_.empty())
    return error("no MARK to pop to (corrupt pickle)");
  size_t m = marks_.back();
  marks_.pop_back();
  std::vector<PyObj *> items(stack_.begin() + m, stack_.end());
  stack_.resize(m);
  return items;
}

Result<std::string> Unpickler::readLine() {
  const void *nl = std::memchr(p_ + pos_, '\n', n_ - pos_);
  if (!nl)
    return error("truncated pickle (unterminated GLOBAL)");
  size_t len = static_cast<const uint8_t *>(nl) - (p_ + pos_);
  std::string s(reinterpret_cast<const char *>(p_ + pos_), len);
  pos_ += len + 1;
  return s;
}

std::optional<DType> storageDType(const std::string &name) {
  if (name == "FloatStorage")
    return DType::F32;
  if (name == "HalfStorage")
    return DType::F16;
  if (name == "BFloat16Storage")
    return DType::BF16;
  return std::nullopt;
}

std::optional<DType> torchDType(const std::string &name) {
  if (name == "float32")
    return DType::F32;
  if (name == "float16")
    return DType::F16;
  if (name == "bfloat16")
    return DType::BF16;
  return std::nullopt;
}

bool isTorchDTypeName(const std::string &name) {
  static const char *const names[] = {
      "float64",        "double",        "complex64",   "complex128",
      "int64",          "int32",         "int16",       "int8",
      "uint8",          "uint16",        "uint32",      "uint64",
      "bool",           "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz",
      "float8_e5m2fnuz"};
  for (const char *n : names)
    if (name == n)
      return true;
  return false;
}

Status Unpickler::pushGlobal(const std::string &module,
                             const std::string &name) {
  std::string full = module + "." + name;
  std::optional<GlobalId> id;
  std::optional<DType> dtype;
  if (module == "collections" && name == "OrderedDict") {
    id = GlobalId::OrderedDict;
  } else if (module == "torch._utils" && name == "_rebuild_tensor_v2") {
    id = GlobalId::RebuildTensorV2;
  } else if (module == "torch._utils" && name == "_rebuild_tensor_v3") {
    id = GlobalId::RebuildTensorV3;
  } else if (module == "torch._utils" && name == "_rebuild_parameter") {
    id = GlobalId::RebuildParameter;
  } else if (module == "torch" && name == "UntypedStorage") {
    id = GlobalId::UntypedStorage;
  } else if (module == "torch" && (dtype = storageDType(name))) {
    id = GlobalId::TypedStorage;
  } else if (module == "torch" && (dtype = torchDType(name))) {
    id = GlobalId::DTypeObj;
  } else if (module == "torch" && name.size() > 7 &&
             name.compare(name.size() - 7, 7, "Storage") == 0) {
    return error("unsupported storage type " + full +
                 ": only FloatStorage, HalfStorage and BFloat16Storage "
                 "(f32, f16, bf16) can be read");
  } else if (module == "torch" && isTorchDTypeName(name)) {
    return error("unsupported dtype " + full +
                 ": only float32, float16 and bfloat16 can be read");
  } else {
    return error("unsupported global '" + full +
                 "' (only torch state dicts of tensors can be read)");
  }
  PyObj *g = make(Kind::Global);
  g->s = full;
  g->dtype = dtype;
  globals_[g] = *id;
  stack_.push_back(g);
  return Status::success();
}

Status Unpickler::persistentLoad() {
  auto pid = pop();
  MAMBA_TRY(pid);
  PyObj *t = *pid;
  // ('storage', storage_type, key, location, numel)
  if (t->kind != Kind::Tuple || t->items.size() != 5 ||
      t->items[0]->kind != Kind::Str || t->items[0]->s != "storage")
    return error("unsupported persistent id (expected ('storage', type, key, "
                 "location, numel))");
  PyObj *type = t->items[1];
  PyObj *key = t->items[2];
  PyObj *numel = t->items[4];
  auto g = globals_.find(type);
  if (g == globals_.end() || (g->second != GlobalId::TypedStorage &&
                              g->second != GlobalId::UntypedStorage))
    return error("persistent id names " + std::string(kindName(type->kind)) +
                 ", not a storage type");
  if (key->kind != Kind::Str || numel->kind != Kind::Int || numel->i < 0)
    return error("persistent id has a bad key or size");
  PyObj *st = make(Kind::Storage);
  st->s = key->s;
  st->dtype = type->dtype; // none for UntypedStorage
  st->numel = numel->i;
  stack_.push_back(st);
  return Status::success();
}

Result<std::vector<int64_t>> intTuple(PyObj *o) {
  if (o->kind != Kind::Tuple)
    return Error("expected a tuple of ints");
  std::vector<int64_t> v;
  for (PyObj *e : o->items) {
    if (e->kind != Kind::Int)
      return Error("expected a tuple of ints");
    v.push_back(e->i);
  }
  return v;
}

Result<PyObj *> Unpickler::rebuildTensor(const std::vector<PyObj *> &args,
                                         bool v3) {
  // v2: (storage, offset, size, stride, requires_grad, hooks[, metadata])
  // v3: (storage, offset, size, stride, requires_grad, hooks, dtype[, md])
  size_t minArgs = v3 ? 7 : 6;
  const char *fn = v3 ? "_rebuild_tensor_v3" : "_rebuild_tensor_v2";
  if (args.size() < minArgs || args.size() > minArgs + 1)
    return error(std::string(fn) + " called with " +
                 std::to_string(args.size()) + " arguments");
  PyObj *st = args[0];
  if (st->kind != Kind::Storage || args[1]->kind != Kind::Int)
    return error(std::string(fn) + " needs a storage and an offset");
  auto size = intTuple(args[2]);
  auto stride = intTuple(args[3]);
  if (!size || !stride || size->size() != stride->size())
    return error(std::string(fn) +
                 " needs size and stride tuples of the same length");
  PyObj *t = make(Kind::Tensor);
  t->storage = st;
  t->offset = args[1]->i;
  t->size = *size;
  t->stride = *stride;
  if (v3) {
    auto g = globals_.find(args[6]);
    if (g == globals_.end() || g->second != GlobalId::DTypeObj)
      return error("_rebuild_tensor_v3 needs a dtype");
    t->dtype = args[6]->dtype;
  } else {
    t->dtype = st->dtype;
  }
  if (!t->dtype)
    return error(std::string(fn) + " on an untyped storage without a dtype");
  if (st->dtype && st->dtype != t->dtype)
    return error("a " + std::string(dtypeName(*t->dtype)) + " tensor on a " +
                 dtypeName(*st->dtype) + " storage");
  return t;
}

Status Unpickler::reduce() {
  auto args = pop();
  MAMBA_TRY(args);
  auto fn = pop();
  MAMBA_TRY(fn);
  auto g = globals_.find(*fn);
  if (g == globals_.end())
    return error("REDUCE calls " + std::string(kindName((*fn)->kind)) +
                 ", not a known function");
  if ((*args)->kind != Kind::Tuple)
    return error("REDUCE arguments of " + (*fn)->s + " are not a tuple");
  const std::vector<PyObj *> &a = (*args)->items;
  switch (g->second) {
  case GlobalId::OrderedDict:
    if (!a.empty())
      return error("collections.OrderedDict called with arguments");
    stack_.push_back(make(Kind::Dict));
    return Status::success();
  case GlobalId::RebuildTensorV2:
  case GlobalId::RebuildTensorV3: {
    auto t = rebuildTensor(a, g->second == GlobalId::RebuildTensorV3);
    MAMBA_TRY(t);
    stack_.push_back(*t);
    return Status::success();
  }
  case GlobalId::RebuildParameter:
    // (data, requires_grad, backward_hooks): a Parameter is its data here.
    if (a.size() != 3 || a[0]->kind != Kind::Tensor)
      return error("torch._utils._rebuild_parameter needs (tensor, "
                   "requires_grad, hooks)");
    stack_.push_back(a[0]);
    return Status::success();
  default:
    return error("REDUCE calls " + (*fn)->s + ", which is not callable here");
  }
}

Result<PyObj *> Unpickler::run() {
  while (pos_ < n_) {
    opPos_ = pos_;
    uint8_t op = p_[pos_++];
    switch (op) {
    case 0x80: // PROTO
      if (!need(1))
        return error("truncated pickle");
      if (p_[pos_] > 5)
        return error("unsupported pickle protocol " + std::to_string(p_[pos_]));
      ++pos_;
      break;
    case 0x95: // FRAME: a length prefix only; the data follows inline.
      if (!need(8))
        return error("truncated pickle");
      pos_ += 8;
      break;
    case '.': // STOP
      return pop();
    case '(': // MARK
      marks_.push_back(stack_.size());
      break;
    case '}': // EMPTY_DICT
      stack_.push_back(make(Kind::Dict));
      break;
    case ']': // EMPTY_LIST
      stack_.push_back(make(Kind::List));
      break;
    case ')': // EMPTY_TUPLE
      stack_.push_back(make(Kind::Tuple));
      break;
    case 't': { // TUPLE
      auto items = popToMark();
      MAMBA_TRY(items);
      PyObj *t = make(Kind::Tuple);
      t->items = items.take();
      stack_.push_back(t);
      break;
    }
    case 0x85:   // TUPLE1
    case 0x86:   // TUPLE2
    case 0x87: { // TUPLE3
      size_t k = op - 0x84;
      PyObj *t = make(Kind::Tuple);
      t->items.resize(k);
      for (size_t j = k; j-- > 0;) {
        auto v = pop();
        MAMBA_TRY(v);
        t->items[j] = *v;
      }
      stack_.push_back(t);
      break;
    }
    case 'a': { // APPEND
      auto v = pop();
      MAMBA_TRY(v);
      if (stack_.empty() || stack_.back()->kind != Kind::List)
        return error("APPEND to something that is not a list");
      stack_.back()->items.push_back(*v);
      break;
    }
    case 'e': { // APPENDS
      auto items = popToMark();
      MAMBA_TRY(items);
      if (stack_.empty() || stack_.back()->kind != Kind::List)
        return error("APPENDS to something that is not a list");
      for (PyObj *v : *items)
        stack_.back()->items.push_back(v);
      break;
    }
    case 's': { // SETITEM
      auto v = pop();
      MAMBA_TRY(v);
      auto k = pop();
      MAMBA_TRY(k);
      if (stack_.empty() || stack_.back()->kind != Kind::Dict)
        return error("SETITEM on something that is not a dict");
      stack_.back()->dict.emplace_back(*k, *v);
      break;
    }
    case 'u': { // SETITEMS
      auto items = popToMark();
      MAMBA_TRY(items);
      if (items->size() % 2 != 0)
        return error("SETITEMS with an odd number of items");
      if (stack_.empty() || stack_.back()->kind != Kind::Dict)
        return error("SETITEMS on something that is not a dict");
      for (size_t j = 0; j < items->size(); j += 2)
        stack_.back()->dict.emplace_back((*items)[j], (*items)[j + 1]);
      break;
    }
    case 'X':    // BINUNICODE
    case 0x8c: { // SHORT_BINUNICODE
      size_t lenBytes = op == 'X' ? 4 : 1;
      if (!need(lenBytes))
        return error("truncated pickle");
      size_t len = p_[pos_];
      if (op == 'X')
        len |= size_t(p_[pos_ + 1]) << 8 | size_t(p_[pos_ + 2]) << 16 |
               size_t(p_[pos_ + 3]) << 24;
      pos_ += lenBytes;
      if (!need(len))
        return error("truncated pickle (string runs past the end)");
      PyObj *s = make(Kind::Str);
      s->s.assign(reinterpret_cast<const char *>(p_ + pos_), len);
      pos_ += len;
      stack_.push_back(s);
      break;
    }
    case 'J':    // BININT: 4-byte signed
    case 'K':    // BININT1: 1-byte unsigned
    case 'M':    // BININT2: 2-byte unsigned
    case 0x8a: { // LONG1: length byte, then little-endian two's complement
      size_t len = op == 'J' ? 4 : op == 'K' ? 1 : op == 'M' ? 2 : 0;
      if (op == 0x8a) {
        if (!need(1))
          return error("truncated pickle");
        len = p_[pos_++];
        if (len > 8)
          return error("integer of " + std::to_string(len) +
                       " bytes is too large");
      }
      if (!need(len))
        return error("truncated pickle");
      uint64_t u = 0;
      for (size_t j = 0; j < len; ++j)
        u |= uint64_t(p_[pos_ + j]) << (8 * j);
      bool isSigned = op == 'J' || op == 0x8a;
      if (isSigned && len > 0 && len < 8 && (p_[pos_ + len - 1] & 0x80))
        u |= ~uint64_t(0) << (8 * len); // sign-extend
      pos_ += len;
      PyObj *i = make(Kind::Int);
      i->i = int64_t(u);
      stack_.push_back(i);
      break;
    }
    case 'G': { // BINFLOAT: 8-byte big-endian double
      if (!need(8))
        return error("truncated pickle");
      uint64_t u = 0;
      for (int j = 0; j < 8; ++j)
        u = (u << 8) | p_[pos_ + j];
      pos_ += 8;
      PyObj *f = make(Kind::Float);
      std::memcpy(&f->f, &u, 8);
      stack_.push_back(f);
      break;
    }
    case 0x88:   // NEWTRUE
    case 0x89: { // NEWFALSE
      PyObj *b = make(Kind::Bool);
      b->i = op == 0x88;
      stack_.push_back(b);
      break;
    }
    case 'N': // NONE
      stack_.push_back(make(Kind::None));
      break;
    case 'c': { // GLOBAL: "module\nname\n"
      auto module = readLine();
      MAMBA_TRY(module);
      auto name = readLine();
      MAMBA_TRY(name);
      MAMBA_TRY(pushGlobal(*module, *name));
      break;
    }
    case 0x93: { // STACK_GLOBAL
      auto name = pop();
      MAMBA_TRY(name);
      auto module = pop();
      MAMBA_TRY(module);
      if ((*name)->kind != Kind::Str || (*module)->kind != Kind::Str)
        return error("STACK_GLOBAL needs two strings");
      MAMBA_TRY(pushGlobal((*module)->s, (*name)->s));
      break;
    }
    case 'R': // REDUCE
      MAMBA_TRY(reduce());
      break;
    case 'b': { // BUILD
      auto state = pop();
      MAMBA_TRY(state);
      // A state dict carries its `_metadata` attribute as BUILD state; the
      // weights do not depend on it.
      if (stack_.empty() || stack_.back()->kind != Kind::Dict)
        return error("BUILD on " +
                     std::string(stack_.empty()
                                     ? "nothing"
                                     : kindName(stack_.back()->kind)) +
                     " is not supported");
      break;
    }
    case 'q':   // BINPUT
    case 'r': { // LONG_BINPUT
      size_t len = op == 'q' ? 1 : 4;
      if (!need(len))
        return error("truncated pickle");
      uint64_t idx = 0;
      for (size_t j = 0; j < len; ++j)
        idx |= uint64_t(p_[pos_ + j]) << (8 * j);
      pos_ += len;
      if (stack_.empty())
        return error("memo store from an empty stack");
      memo_[idx] = stack_.back();
      break;
    }
    case 0x94: // MEMOIZE: the next index is the memo's size
      if (stack_.empty())
        return error("memo store from an empty stack");
      memo_[memo_.size()] = stack_.back();
      break;
    case 'h':   // BINGET
    case 'j': { // LONG_BINGET
      size_t len = op == 'h' ? 1 : 4;
      if (!need(len))
        return error("truncated pickle");
      uint64_t idx = 0;
      for (size_t j = 0; j < len; ++j)
        idx |= uint64_t(p_[pos_ + j]) << (8 * j);
      pos_ += len;
      auto it = memo_.find(idx);
      if (it == memo_.end())
        return error("memo entry " + std::to_string(idx) + " is not set");
      stack_.push_back(it->second);
      break;
    }
    case 'Q': // BINPERSID
      MAMBA_TRY(persistentLoad());
      break;
    default: {
      static const char hex[] = "0123456789abcdef";
      std::string code = {'0', 'x', hex[op >> 4], hex[op & 15]};
      return error("unsupported pickle opcode " + code +
                   (op >= 0x20 && op < 0x7f
                        ? " ('" + std::string(1, char(op)) + "')"
                        : std::string()) +
                   " (not one that torch state dicts use)");
    }
    }
  }
  return error("truncated pickle (no STOP)");
}

/// Checks that every element `t` reaches lies inside its storage of `bytes`.
Status checkExtent(const PyObj &t, uint64_t bytes, DType dtype,
                   const std::string &where) {
  if (t.offset < 0)
    return Error(where + ": negative storage offset");
  int64_t last = t.offset; // element index of the last element
  bool empty = false;
  for (size_t d = 0; d < t.size.size(); ++d) {
    if (t.size[d] < 0 || t.stride[d] < 0)
      return Error(where + ": negative size or stride");
    if (t.size[d] == 0)
      empty = true;
    int64_t step;
    if (t.size[d] > 0 &&
        (__builtin_mul_overflow(t.size[d] - 1, t.stride[d], &step) ||
         __builtin_add_overflow(last, step, &last)))
      return Error(where + ": size and stride overflow");
  }
  if (empty)
    return Status::success();
  uint64_t need;
  if (__builtin_mul_overflow(uint64_t(last) + 1, dtypeSize(dtype), &need) ||
      need > bytes)
    return Error(where + ": shape " + formatShape(t.size) + ", stride " +
                 formatShape(t.stride) + " and offset " +
                 std::to_string(t.offset) + " reach past the end of its " +
                 std::to_string(bytes) + "-byte storage");
  return Status::success();
}

} // namespace

Result<TensorSet> readTorchCheckpoint(const std::string &path) {
  auto mapped = MappedFile::open(path);
  MAMBA_TRY(mapped);
  const MappedFile &file = **mapped;
  if (file.size() >= 2 && file.data()[0] == 0x80 && file.data()[1] <= 5)
    return Error(path + ": this is the legacy (pre-1.6) torch serialization, "
                        "which is not supported; load and save it again with "
                        "a current torch.save");
  auto zip = ZipArchive::open(*mapped);
  MAMBA_TRY(zip);

  // Entries are "<prefix>/...", where prefix is the archive's name.
  const ZipEntry *pkl = nullptr;
  std::string prefix;
  for (const ZipEntry &e : zip->entries()) {
    size_t slash = e.name.find('/');
    if (slash != std::string::npos && e.name.substr(slash) == "/data.pkl") {
      pkl = &e;
      prefix = e.name.substr(0, slash);
      break;
    }
  }
  if (!pkl)
    return Error(path + ": no '<name>/data.pkl' entry: not an archive written "
                        "by torch.save");
  // Only the pickle's CRC is checked: it is small, and a corrupt pickle could
  // otherwise read as a different but valid one. Checking the storages would
  // read every page of a multi-GB file at open; their extents are checked.
  const uint8_t *pklData = zip->data(*pkl);
  if (crc32(pklData, pkl->size) != pkl->crc32)
    return Error(path + ": " + pkl->name +
                 " fails its CRC check: the file is corrupt");
  if (const ZipEntry *bo = zip->find(prefix + "/byteorder")) {
    std::string order(reinterpret_cast<const char *>(zip->data(*bo)), bo->size);
    if (order != "little")
      return Error(path + ": byteorder is \"" + order +
                   "\"; only little-endian checkpoints are supported");
  }

  Unpickler unpickler(pklData, pkl->size, path + ": " + pkl->name);
  auto root = unpickler.run();
  MAMBA_TRY(root);
  if ((*root)->kind != Kind::Dict)
    return Error(path + ": holds " + kindName((*root)->kind) +
                 ", not a state dict of tensors");

  TensorSet set;
  set.files.push_back(*mapped);
  for (auto &[k, v] : (*root)->dict) {
    if (k->kind != Kind::Str)
      return Error(path + ": a state dict key is " + kindName(k->kind) +
                   ", not a str");
    std::string where = path + ": tensor '" + k->s + "'";
    if (v->kind != Kind::Tensor)
      return Error(where + " is " + kindName(v->kind) +
                   ": expected a flat state dict of tensors");
    const PyObj &st = *v->storage;
    const ZipEntry *data = zip->find(prefix + "/data/" + st.s);
    if (!data)
      return Error(where + ": its storage '" + st.s +
                   "' is missing from the archive");
    // A typed storage counts elements, an untyped one bytes.
    uint64_t declared;
    if (__builtin_mul_overflow(uint64_t(st.numel),
                               st.dtype ? dtypeSize(*st.dtype) : 1,
                               &declared) ||
        data->size < declared)
      return Error(where + ": its storage '" + st.s + "' has " +
                   std::to_string(data->size) + " bytes but the pickle says " +
                   std::to_string(st.numel) +
                   (st.dtype
                        ? std::string(" ") + dtypeName(*st.dtype) + " elements"
                        : std::string(" bytes")));
    MAMBA_TRY(checkExtent(*v, data->size, *v->dtype, where));
    // Overlapping views (stride 0, as expand() makes) would materialize to
    // more bytes than the file holds; state dicts never contain them.
    auto numel = checkedNumel(v->size, where);
    MAMBA_TRY(numel);
    if (uint64_t(*numel) > data->size / dtypeSize(*v->dtype))
      return Error(where + ": shape " + formatShape(v->size) + " has " +
                   std::to_string(*numel) + " elements but its storage holds " +
                   std::to_string(data->size / dtypeSize(*v->dtype)) +
                   ": overlapping (expanded) views are not supported");
    TensorView view;
    view.dtype = *v->dtype;
    view.shape = v->size;
    view.strides = v->stride;
    view.data = zip->data(*data) + uint64_t(v->offset) * dtypeSize(view.dtype);
    view.file = path;
    set.tensors[k->s] = std::move(view);
  }
  return set;
}

} // namespace mamba
