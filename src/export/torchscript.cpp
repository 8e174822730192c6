#include "export/torchscript.h"

#include <ATen/native/quantized/PackedParams.h>
#include <fmt/format.h>
#include <torch/csrc/jit/frontend/resolver.h>
#include <torch/csrc/jit/frontend/sugared_value.h>
#include <torch/csrc/jit/passes/inliner.h>

#include <sstream>

#include "core/error.h"
#include "io/atomic_file.h"
#include "nn/cnn.h"
#include "nn/low_rank_layer.h"
#include "nn/transformer.h"

namespace qz::exporting {
namespace {

using PackedLinear = c10::intrusive_ptr<LinearPackedParamsBase>;

// TorchScript names may not contain dots: "blocks.0.q" → "blocks_0_q".
std::string attr_name(const std::string& name) {
  std::string s = name;
  for (char& c : s)
    if (c == '.') c = '_';
  return s;
}

torch::Tensor buffer(const nn::CompressibleLayer& layer, const std::string& name) {
  for (const auto& b : layer.named_buffers(false))
    if (b.key() == name) return b.value();
  return {};
}

// Names the module's source may use: torch.<op> for aten operators and quantized.<op> for
// PyTorch's quantized kernels (printed as ops.quantized.<op> in the saved file, which
// torch.jit.load resolves).
struct ExportResolver : torch::jit::Resolver {
  std::shared_ptr<torch::jit::SugaredValue> resolveValue(const std::string& name,
                                                         torch::jit::GraphFunction&,
                                                         const torch::jit::SourceRange&) override {
    if (name == "torch") return std::make_shared<torch::jit::BuiltinModule>("aten");
    if (name == "quantized") return std::make_shared<torch::jit::BuiltinModule>("quantized");
    return nullptr;
  }
  c10::TypePtr resolveType(const std::string&, const torch::jit::SourceRange&) override {
    return nullptr;
  }
};

// Builds the module's source and registers the tensors its expressions read.
class Builder {
 public:
  explicit Builder(const std::string& class_name) { out_.module = torch::jit::Module(class_name); }

  // Registers `t` as a (non-trainable) attribute and returns "self.<name>".
  std::string tensor(const std::string& name, const torch::Tensor& t) {
    out_.module.register_buffer(name, t.detach().contiguous().clone());
    return "self." + name;
  }

  // The expression applying `layer` (its fused activation included) to `x`.
  std::string layer(const nn::LayerSlot& slot, const std::string& x) {
    const nn::CompressibleLayer& l = *slot.get();
    const std::string n = attr_name(slot.name());
    const std::string format = l.scheme().value("format", "fp32");
    const torch::Tensor bias = l.dense_bias();
    // The bias as an attribute (int8 layers carry theirs in the packed weight instead).
    auto b = [&]() -> std::string {
      return bias.defined() ? tensor(n + "_bias", bias.to(torch::kFloat32)) : "None";
    };
    std::string expr;
    if (l.kind() == nn::LayerKind::Conv2d) {
      if (format != "fp32") dequantized(slot, format);
      const auto g = l.geometry();
      expr = fmt::format("torch.conv2d({}, {}, {}, [{}, {}], [{}, {}])", x,
                         tensor(n + "_weight", l.dense_weight().to(torch::kFloat32)), b(), g.stride,
                         g.stride, g.padding, g.padding);
      out_.layers[slot.name()] = format == "fp32" ? "fp32 conv2d" : "dequantized conv2d";
    } else if (format == "fp32") {
      expr = linear(x, tensor(n + "_weight", l.dense_weight()), b());
      out_.layers[slot.name()] = "fp32 linear";
    } else if (format == "int8" && l.scheme().value("group", 0) == 0) {
      // reduce_range: PyTorch quantizes the activations to 7 bits, so its x86 kernels without
      // VNNI (onednn, fbgemm: u8×s8 pairs summed in saturating int16 by vpmaddubsw) compute
      // the exact sums; with 8-bit activations 2·255·127 overflows int16 and the export
      // disagreed with our runtime on AVX2 CPUs. PyTorch's own x86 qconfigs do the same.
      expr = fmt::format("quantized.linear_dynamic({}, self.{}, True)", x,
                         packed_int8(l, n + "_packed"));
      out_.layers[slot.name()] = "int8 quantized::linear_dynamic";
    } else if (format == "fp16" || format == "bf16") {
      expr = linear(x, tensor(n + "_weight", buffer(l, "weight")) + ".float()", b());
      out_.layers[slot.name()] = format + " weights, upcast";
    } else if (format == "lowrank") {
      const auto& lr = dynamic_cast<const nn::LowRankLayer&>(l);
      expr = linear(linear(x, tensor(n + "_a", lr.factor_a()), "None"),
                    tensor(n + "_b", lr.factor_b()), b());
      out_.layers[slot.name()] = "low-rank: two linears";
    } else {
      dequantized(slot, format);
      expr = linear(x, tensor(n + "_weight", l.dense_weight().to(torch::kFloat32)), b());
      out_.layers[slot.name()] = "dequantized linear";
    }
    switch (l.fused_activation()) {
      case kernels::Activation::None:
        return expr;
      case kernels::Activation::Relu:
        return "torch.relu(" + expr + ")";
      case kernels::Activation::Silu:
        return "torch.silu(" + expr + ")";
      case kernels::Activation::Gelu:
        return "torch.gelu(" + expr + ")";
    }
    return expr;
  }

  TorchScriptModule finish(const std::string& source) {
    out_.module.define(source, std::make_shared<ExportResolver>());
    out_.module.eval();
    return std::move(out_);
  }

 private:
  static std::string linear(const std::string& x, const std::string& w, const std::string& b) {
    return fmt::format("torch.linear({}, {}, {})", x, w, b);
  }

  void dequantized(const nn::LayerSlot& slot, const std::string& format) {
    out_.warnings.push_back(
        fmt::format("layer '{}' ({}) has no PyTorch kernel: exported dequantized to FP32",
                    slot.name(), format));
  }

  // The layer's int8 codes and per-row scales as PyTorch's packed dynamic-int8 weight.
  std::string packed_int8(const nn::CompressibleLayer& l, const std::string& name) {
    static auto prepack = c10::Dispatcher::singleton()
                              .findSchemaOrThrow("quantized::linear_prepack", "")
                              .typed<PackedLinear(at::Tensor, c10::optional<at::Tensor>)>();
    const torch::Tensor codes = buffer(l, "weight");
    const torch::Tensor scales = buffer(l, "weight_scale").to(torch::kDouble).reshape({-1});
    QZ_ASSERT(
        codes.defined() && codes.scalar_type() == torch::kInt8 && scales.size(0) == codes.size(0),
        "[export] int8 layer without per-row codes and scales");
    const torch::Tensor q = at::_make_per_channel_quantized_tensor(
        codes.contiguous(), scales, torch::zeros({codes.size(0)}, torch::kLong), 0);
    const torch::Tensor bias = l.dense_bias();
    const PackedLinear packed =
        prepack.call(q, bias.defined() ? c10::optional<at::Tensor>(bias) : c10::nullopt);
    const c10::IValue value(packed);
    out_.module.register_attribute(name, value.type(), value);
    return name;
  }

  TorchScriptModule out_;
};

TorchScriptModule export_mlp(nn::Model& model) {
  Builder b("__torch__.quantize.Mlp");
  std::ostringstream src;
  src << "def forward(self, x: Tensor) -> Tensor:\n    h = x.flatten(1)\n";
  for (const auto& slot : model.layers()) src << "    h = " << b.layer(slot, "h") << "\n";
  src << "    return h\n";
  return b.finish(src.str());
}

TorchScriptModule export_cnn(nn::Cnn& model) {
  Builder b("__torch__.quantize.Cnn");
  std::ostringstream src;
  src << "def forward(self, x: Tensor) -> Tensor:\n    h = x\n";
  const auto& norms = model.norms();
  size_t stage = 0;
  for (const auto& slot : model.layers()) {
    if (slot.get()->kind() != nn::LayerKind::Conv2d) continue;
    src << "    h = " << b.layer(slot, "h") << "\n";
    if (!norms.empty()) {
      const auto& bn = *norms[stage];
      const std::string n = fmt::format("bn{}", stage + 1);
      src << fmt::format(
          "    h = torch.relu(torch.batch_norm(h, {}, {}, {}, {}, False, 0.0, {}, False))\n",
          b.tensor(n + "_weight", bn.weight), b.tensor(n + "_bias", bn.bias),
          b.tensor(n + "_running_mean", bn.running_mean),
          b.tensor(n + "_running_var", bn.running_var), bn.options.eps());
    }
    src << "    h = torch.max_pool2d(h, [2, 2])\n";
    ++stage;
  }
  src << "    h = " << b.layer(*model.find_layer("fc"), "h.flatten(1)") << "\n";
  src << "    return " << b.layer(*model.find_layer("head"), "h") << "\n";
  return b.finish(src.str());
}

TorchScriptModule export_transformer(nn::Transformer& model) {
  Builder b("__torch__.quantize.Transformer");
  std::map<std::string, torch::Tensor> params;
  for (const auto& p : model.named_parameters()) params[p.key()] = p.value();
  const auto [cos, sin] = model.rope_tables();
  const int64_t hd = model.head_dim();
  const double eps = model.config().at("norm_eps");
  std::ostringstream src;
  src << "def rms(self, x: Tensor, w: Tensor) -> Tensor:\n"
      << fmt::format(
             "    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + {:.17g}) * w\n\n", eps)
      << "def rope(self, x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:\n"
      << fmt::format("    x1 = x.narrow(-1, 0, {0})\n    x2 = x.narrow(-1, {0}, {0})\n", hd / 2)
      << "    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], -1)\n\n"
      << "def forward(self, tokens: Tensor) -> Tensor:\n"
         "    B = tokens.size(0)\n    T = tokens.size(1)\n"
      << fmt::format("    cos = {}.narrow(0, 0, T)\n    sin = {}.narrow(0, 0, T)\n",
                     b.tensor("rope_cos", cos), b.tensor("rope_sin", sin))
      << fmt::format("    h = torch.embedding({}, tokens)\n",
                     b.tensor("embed_weight", params.at("embed.weight")))
      << "    causal = torch.ones([T, T]).triu(1) > 0.5\n";
  for (size_t i = 0; i < model.blocks().size(); ++i) {
    const nn::BlockImpl& block = *model.blocks()[i];
    const std::string p = fmt::format("blocks.{}.", i);
    auto slot = [&](const char* name) { return *model.find_layer(p + name); };
    auto norm = [&](const char* name) {
      return b.tensor(attr_name(p + name), params.at(p + name + ".weight"));
    };
    const int64_t heads = block.heads(), kv_heads = block.kv_heads();
    src << fmt::format("    a = self.rms(h, {})\n", norm("attn_norm"));
    for (const auto& [t, n] : {std::pair{"q", heads}, {"k", kv_heads}, {"v", kv_heads}})
      src << fmt::format("    {} = {}.view([B, T, {}, {}]).transpose(1, 2)\n", t,
                         b.layer(slot(t), "a"), n, hd);
    if (block.q_norm)
      src << fmt::format("    q = self.rms(q, {})\n    k = self.rms(k, {})\n", norm("q_norm"),
                         norm("k_norm"));
    src << "    q = self.rope(q, cos, sin)\n    k = self.rope(k, cos, sin)\n";
    if (heads != kv_heads)
      src << fmt::format(
          "    k = k.repeat_interleave({0}, 1)\n    v = v.repeat_interleave({0}, 1)\n",
          heads / kv_heads);
    src << fmt::format(
        "    s = torch.matmul(q, k.transpose(-2, -1)) / {:.17g}\n"
        "    s = s.masked_fill(causal, float('-inf'))\n"
        "    att = torch.matmul(torch.softmax(s, -1), v).transpose(1, 2).reshape([B, T, {}])\n",
        std::sqrt(static_cast<double>(hd)), heads * hd);
    src << "    h = h + " << b.layer(slot("o"), "att") << "\n";
    src << fmt::format("    m = self.rms(h, {})\n", norm("mlp_norm"));
    const std::string gated =
        fmt::format("({}) * ({})", b.layer(slot("gate"), "m"), b.layer(slot("up"), "m"));
    src << "    h = h + " << b.layer(slot("down"), gated) << "\n";
  }
  src << fmt::format("    h = self.rms(h, {})\n",
                     b.tensor("final_norm", params.at("final_norm.weight")));
  src << "    return " << b.layer(*model.find_layer("head"), "h") << "\n";
  return b.finish(src.str());
}

}  // namespace

TorchScriptModule to_torchscript(nn::Model& model) {
  torch::NoGradGuard guard;
  model.eval();
  if (auto* cnn = dynamic_cast<nn::Cnn*>(&model)) return export_cnn(*cnn);
  if (auto* t = dynamic_cast<nn::Transformer*>(&model)) return export_transformer(*t);
  return export_mlp(model);
}

torch::jit::Module freeze_for_inference(const torch::jit::Module& module) {
  // freeze() inlines the attributes as constants and runs the frozen-graph optimizations
  // (conv-BN and conv-add/mul folding, dropout removal, linear concatenation).
  // optimize_for_inference() would go on to MKLDNN tensors and ops, which LibTorch 1.13 saves
  // but cannot load back ("required keyword attribute 'value' is undefined"), so a file
  // stops here.
  return torch::jit::freeze(module);
}

int64_t graph_op_count(const torch::jit::Module& module) {
  auto graph = module.get_method("forward").graph()->copy();
  torch::jit::Inline(*graph);
  int64_t count = 0;
  for (const torch::jit::Node* node : graph->nodes()) {
    const std::string ns = node->kind().ns().toUnqualString();
    if (ns == "aten" || ns == "quantized" || ns == "prepacked" || ns == "mkldnn") ++count;
  }
  return count;
}

void save_torchscript(const torch::jit::Module& module, const std::string& path) {
  std::ostringstream bytes;
  module.save(bytes);
  io::write_file_atomically(path, bytes.str());
}

}  // namespace qz::exporting
