using Microsoft.ML.OnnxRuntime;

namespace HotlineQA.Audio;

/// <summary>
/// Silero VAD v5 (ONNX) at 16 kHz. One session per process, shared by every call: <c>Run</c> is thread-safe and
/// each <see cref="Batch"/> owns its tensors. The window is 512 new samples; the model also wants the tail of the
/// previous window prepended (64 samples at 16 kHz) unless the graph declares a fixed input length saying otherwise.
/// </summary>
internal sealed class SileroVadModel : IDisposable
{
    public const int Window = 512;
    public const int StateSize = 2 * 128;

    private readonly InferenceSession _session;
    private readonly bool _srIsScalar;

    public SileroVadModel(string modelPath)
    {
        if (!File.Exists(modelPath))
            throw new InvalidOperationException($"Silero VAD model not found at {modelPath} (see docs/audio.md: Audio:VadModelPath or HOTLINEQA_MODELS)");
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelPath, options);
        foreach (var name in new[] { "input", "state", "sr" })
            if (!_session.InputMetadata.ContainsKey(name))
                throw new InvalidOperationException($"{modelPath} is not Silero VAD v5: it has no input '{name}'");
        var inputDims = _session.InputMetadata["input"].Dimensions;
        // A fixed second dimension (an exported variant) tells us the context length; -1 means dynamic: use v5's 64.
        Context = inputDims.Length == 2 && inputDims[1] > Window ? inputDims[1] - Window : 64;
        _srIsScalar = _session.InputMetadata["sr"].Dimensions.Length == 0;
        ModelPath = modelPath;
    }

    public string ModelPath { get; }

    /// <summary>Samples of the previous window prepended to each new one.</summary>
    public int Context { get; }

    public Batch CreateBatch(int size) => new(this, size);

    public void Dispose() => _session.Dispose();

    /// <summary>Pinned input/output buffers for one batch size, reused for every window of a call.</summary>
    internal sealed class Batch : IDisposable
    {
        private static readonly string[] InputNames = ["input", "state", "sr"];
        private static readonly string[] OutputNames = ["output", "stateN"];
        private readonly SileroVadModel _model;
        private readonly OrtValue[] _inputs;
        private readonly OrtValue[] _outputs;
        private readonly RunOptions _run = new();

        public Batch(SileroVadModel model, int size)
        {
            _model = model;
            Size = size;
            Input = new float[size * (Window + model.Context)];
            State = new float[StateSize * size];
            StateOut = new float[StateSize * size];
            Output = new float[size];
            _inputs =
            [
                OrtValue.CreateTensorValueFromMemory(Input, [size, Window + model.Context]),
                OrtValue.CreateTensorValueFromMemory(State, [2, size, 128]),
                OrtValue.CreateTensorValueFromMemory(new long[] { AudioDecoder.SampleRate }, model._srIsScalar ? [] : [1]),
            ];
            _outputs =
            [
                OrtValue.CreateTensorValueFromMemory(Output, [size, 1]),
                OrtValue.CreateTensorValueFromMemory(StateOut, [2, size, 128]),
            ];
        }

        public int Size { get; }

        /// <summary>[size, context + 512]: each row is the previous tail followed by the new window.</summary>
        public float[] Input { get; }

        /// <summary>[2, size, 128]: layer-major, so row b's halves sit at b*128 and (size + b)*128.</summary>
        public float[] State { get; }

        public float[] StateOut { get; }

        public float[] Output { get; }

        public void Run() => _model._session.Run(_run, InputNames, _inputs, OutputNames, _outputs);

        public void Dispose()
        {
            foreach (var v in _inputs) v.Dispose();
            foreach (var v in _outputs) v.Dispose();
            _run.Dispose();
        }
    }
}
