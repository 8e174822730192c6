#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "core/error.h"
#include "io/model_config.h"
#include "io/safetensors.h"
#include "nn/dense_layers.h"
#include "nn/make_model.h"
#include "nn/model_file.h"
#include "nn/tensor_bytes.h"

namespace qz::nn {
namespace {

namespace fs = std::filesystem;

ModelPtr build(const std::string& arch) {
  torch::manual_seed(0);
  return make_model(io::default_config(arch, {1, 16, 16}, arch == "transformer" ? 256 : 12, 16),
                    "test");
}

torch::Tensor sample_input(const std::string& arch) {
  torch::manual_seed(1);
  if (arch == "transformer") return torch::randint(0, 256, {3, 10}, torch::kInt64);
  return torch::rand({5, 1, 16, 16});
}

std::vector<std::string> layer_names(const Model& m) {
  std::vector<std::string> out;
  for (const auto& s : m.layers()) out.push_back(s.name());
  return out;
}

TEST(Models, ForwardShapesAndLayerView) {
  auto mlp = build("mlp");
  EXPECT_EQ(mlp->forward(sample_input("mlp")).sizes().vec(), (std::vector<int64_t>{5, 12}));
  EXPECT_EQ(layer_names(*mlp), (std::vector<std::string>{"fc1", "fc2", "head"}));

  auto cnn = build("cnn");
  cnn->eval();
  EXPECT_EQ(cnn->forward(sample_input("cnn")).sizes().vec(), (std::vector<int64_t>{5, 12}));
  EXPECT_EQ(layer_names(*cnn), (std::vector<std::string>{"conv1", "conv2", "fc", "head"}));
  EXPECT_EQ(cnn->find_layer("conv2")->get()->kind(), LayerKind::Conv2d);

  auto tf = build("transformer");
  EXPECT_EQ(tf->forward(sample_input("transformer")).sizes().vec(),
            (std::vector<int64_t>{3, 10, 256}));
  EXPECT_EQ(tf->layers().size(), 3u * 7u + 1u);
  EXPECT_NE(tf->find_layer("blocks.2.down"), nullptr);
  EXPECT_EQ(tf->find_layer("blocks.0.gate")->get()->out_features(), 352);
}

TEST(Models, EveryWeightMatrixIsInTheLayerView) {
  for (const std::string arch : {"mlp", "cnn", "transformer"}) {
    auto m = build(arch);
    std::set<std::string> covered;
    for (const auto& s : m->layers()) covered.insert(s.name() + ".weight");
    for (const auto& p : m->named_parameters()) {
      if (p.value().dim() < 2 || p.key() == "embed.weight") continue;
      EXPECT_TRUE(covered.count(p.key())) << arch << ": " << p.key() << " not compressible";
    }
  }
}

TEST(Models, DependencyGroupsNameRealLayers) {
  for (const std::string arch : {"mlp", "cnn", "transformer"}) {
    auto m = build(arch);
    for (const auto& g : m->dependency_groups()) {
      EXPECT_FALSE(g.producers.empty()) << g.name;
      for (const auto& n : g.producers) EXPECT_NE(m->find_layer(n), nullptr) << g.name << " " << n;
      for (const auto& n : g.consumers) EXPECT_NE(m->find_layer(n), nullptr) << g.name << " " << n;
      // Producers' outputs × repeat equal consumers' inputs.
      const int64_t width = m->find_layer(g.producers[0])->get()->out_features();
      for (const auto& n : g.consumers)
        EXPECT_EQ(m->find_layer(n)->get()->in_features(), width * g.consumer_repeat) << g.name;
    }
  }
}

TEST(Models, ReplacingASlotChangesTheForward) {
  auto mlp = build("mlp");
  const auto x = sample_input("mlp");
  const auto before = mlp->forward(x);
  const LayerSlot* head = mlp->find_layer("head");
  const int64_t hidden = head->get()->in_features();
  auto zero = std::make_shared<DenseLinear>(torch::zeros({12, hidden}), torch::zeros({12}));
  head->replace(zero);
  EXPECT_EQ(mlp->find_layer("head")->get().get(), zero.get());
  EXPECT_TRUE(torch::equal(mlp->forward(x), torch::zeros({5, 12})));
  EXPECT_FALSE(torch::equal(before, torch::zeros({5, 12})));
  // The registered child is replaced too, so parameters() sees the new tensors.
  int64_t zeros = 0;
  for (const auto& p : mlp->named_parameters())
    if (p.key().rfind("head.", 0) == 0) zeros += (p.value() == 0).all().item<bool>();
  EXPECT_EQ(zeros, 2);
}

class ModelFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("qz_modelfile_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(ModelFiles, ReloadGivesBitIdenticalOutputs) {
  for (const std::string arch : {"mlp", "cnn", "transformer"}) {
    auto m = build(arch);
    m->eval();
    const std::string file = path(arch + ".safetensors");
    save_model(*m, file, {{"data", "shapes"}}, {{"test", {{"accuracy", 0.5}}}});
    const ModelFile loaded = load_model(file);
    const auto x = sample_input(arch);
    torch::NoGradGuard g;
    EXPECT_TRUE(torch::equal(m->forward(x), loaded.model->forward(x))) << arch;
    EXPECT_EQ(loaded.provenance["data"], "shapes");
    EXPECT_EQ(loaded.metrics["test"]["accuracy"], 0.5);
    EXPECT_EQ(loaded.model->config(), m->config());
    const auto f = io::SafetensorsFile::open(file);
    EXPECT_TRUE(f.metadata().count("quantization_config"));
  }
}

TEST_F(ModelFiles, SavingTwiceIsByteIdentical) {
  auto m = build("cnn");
  save_model(*m, path("a.safetensors"), {}, {});
  save_model(*m, path("b.safetensors"), {}, {});
  const auto a = io::SafetensorsFile::open(path("a.safetensors"));
  const auto b = io::SafetensorsFile::open(path("b.safetensors"));
  ASSERT_EQ(a.file_size(), b.file_size());
  for (size_t i = 0; i < a.tensors().size(); ++i) {
    const auto x = a.bytes(a.tensors()[i]), y = b.bytes(b.tensors()[i]);
    EXPECT_TRUE(std::equal(x.begin(), x.end(), y.begin()));
  }
}

TEST_F(ModelFiles, MismatchedFilesAreInputErrors) {
  auto m = build("mlp");
  std::vector<io::TensorData> tensors;
  for (const auto& p : m->named_parameters()) tensors.push_back(to_tensor_data(p.key(), p.value()));
  const std::map<std::string, std::string> meta = {{"format", "quantize"},
                                                   {"config", m->config().dump()},
                                                   {"quantization_config", R"({"layers":{}})"}};
  auto error = [&](const std::vector<io::TensorData>& t,
                   const std::map<std::string, std::string>& md) {
    io::write_safetensors(path("x.safetensors"), t, md);
    try {
      load_model(path("x.safetensors"));
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error(tensors, meta), "");

  auto missing = tensors;
  missing.pop_back();
  EXPECT_NE(error(missing, meta).find("missing tensor"), std::string::npos);

  auto extra = tensors;
  extra.push_back({"ghost.weight", io::Dtype::F32, {1}, std::vector<std::byte>(4)});
  EXPECT_NE(error(extra, meta).find("unexpected tensor 'ghost.weight'"), std::string::npos);

  auto reshaped = tensors;
  for (auto& t : reshaped)
    if (t.name == "fc1.weight") t.shape = {t.shape[1], t.shape[0]};  // [512,256] → [256,512]
  EXPECT_NE(error(reshaped, meta).find("shape"), std::string::npos);

  auto no_format = meta;
  no_format.erase("format");
  EXPECT_NE(error(tensors, no_format).find("not a quantize model file"), std::string::npos);

  auto bad_arch = meta;
  bad_arch["config"] = R"({"arch":"lstm"})";
  EXPECT_NE(error(tensors, bad_arch).find("unknown architecture 'lstm'"), std::string::npos);

  auto bad_layer = meta;
  bad_layer["quantization_config"] = R"({"layers":{"fc1":{"format":"int3"}}})";
  EXPECT_NE(error(tensors, bad_layer).find("unknown format 'int3'"), std::string::npos);
}

}  // namespace
}  // namespace qz::nn
