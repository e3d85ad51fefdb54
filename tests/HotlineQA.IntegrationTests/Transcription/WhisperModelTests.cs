using System.Text.Json.Nodes;
using HotlineQA.TestSupport.Onnx;
using HotlineQA.Transcription;
using static HotlineQA.IntegrationTests.Transcription.MiniModel;

namespace HotlineQA.IntegrationTests.Transcription;

public sealed class WhisperModelTests
{
    [Theory]
    [InlineData("whisper-tiny", 384, 4, 6, 80)]
    [InlineData("whisper-base", 512, 6, 8, 80)]
    public void Load_ShouldReadSizesAndTokensFromTheConfigFiles_WhenGivenTheRealConfigs(string model, int dModel, int layers, int heads, int mels)
    {
        var c = WhisperConfig.Load(TestPaths.Shared($"data/whisper/{model}"));

        Assert.Equal((dModel, layers, heads, mels), (c.DModel, c.DecoderLayers, c.DecoderHeads, c.MelBins));
        Assert.Equal(64, c.HeadDim);
        Assert.Equal(51865, c.VocabSize);
        Assert.Equal(448, c.MaxTargetPositions);
        Assert.Equal([220, 50257], c.BeginSuppressTokens);
        Assert.Contains(50362, c.SuppressTokens);
        Assert.Equal(50260, c.LanguageTokens["zh"]);
    }

    [Fact]
    public void Load_ShouldFindTheQuantizedPair_WhenOnlyItIsInstalled()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hotlineqa-mini-q-" + Guid.NewGuid().ToString("N"));
        try
        {
            MiniWhisper.Build(folder, new MiniWhisperScript().Emit(Ts(0)), quantizedNames: true);

            using var model = WhisperModel.Load(folder, "auto");

            Assert.EndsWith("encoder_model_quantized.onnx", model.Files.Encoder);
            Assert.EndsWith("decoder_model_merged_quantized.onnx", model.Files.Decoder);
            WhisperModelFiles.Locate(folder, "fp32", out var problem);
            Assert.Contains("onnx/encoder_model.onnx", problem);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void Load_ShouldNameTheMissingInputs_WhenConfigAndOnnxDisagreeOnLayers()
    {
        using var m = new MiniModel(new MiniWhisperScript().Emit(Ts(0)));
        var path = Path.Combine(m.Folder, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config["decoder_layers"] = MiniWhisper.Layers + 1;
        File.WriteAllText(path, config.ToJsonString());

        var e = Assert.Throws<WhisperModelException>(() => WhisperModel.Load(m.Folder));

        Assert.Contains("decoder_model_merged.onnx", e.Message);
        Assert.Contains($"past_key_values.{MiniWhisper.Layers}.decoder.key", e.Message);
    }

    [Fact]
    public void Load_ShouldNameTheFile_WhenAnOnnxFileIsCorrupt()
    {
        using var m = new MiniModel(new MiniWhisperScript().Emit(Ts(0)));
        File.WriteAllBytes(Path.Combine(m.Folder, "onnx", "encoder_model.onnx"), [1, 2, 3, 4]);

        var e = Assert.Throws<WhisperModelException>(() => WhisperModel.Load(m.Folder));

        Assert.Contains("encoder_model.onnx", e.Message);
        Assert.Contains(".onnx_data", e.Message);
    }

    [Fact]
    public void Engine_ShouldRun128MelBins_WhenTheConfigIsLargeV3Shaped()
    {
        using var m = new MiniModel(new MiniWhisperScript().Emit(Ts(0)));
        // Rebuild with large-v3's 128 mel bins: config.json and the encoder's input width change together.
        MiniWhisper.Build(m.Folder, new MiniWhisperScript().Emit([Ts(0), .. Text("好的"), Ts(1.0)]), melBins: 128);
        using var model = WhisperModel.Load(m.Folder);
        using var engine = new WhisperEngine(model, Options(m.Folder));

        var r = engine.DecodeWindow(new float[16000], [], "zh", 1);

        Assert.Equal(128, model.Config.MelBins);
        Assert.Equal("好的", Assert.Single(r.Segments).Text);
    }
}
