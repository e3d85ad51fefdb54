using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HotlineQA.Classification;

/// <summary>
/// Runs one of the project's two ML.NET text models (the utterance classifier, the customer-state model): on its
/// compiled form (<see cref="CompiledTextModel"/>) when it compiled, else — and for a text the compiled form cannot read
/// exactly — through ML.NET's prediction engine. Thread-safe: ML.NET's PredictionEngine is not, so a prediction rents
/// an engine (the spare one when free — one interlocked exchange, the single-threaded case — else one from a pool,
/// created on demand) and gives it back; the compiled form needs none.
/// </summary>
internal sealed class TextModelRunner<TRow> where TRow : class, ITextRow, new()
{
    private readonly MLContext _ml;
    private readonly ConcurrentBag<Engine> _pool = new();
    private Engine? _spare;
    private readonly CompiledTextModel? _compiled;

    public TextModelRunner(MLContext ml, ITransformer model, int contextFeatures, bool compile)
    {
        _ml = ml;
        Model = model;
        var first = CreateEngine();
        ScoreSlots = SlotNames(first.Predictor.OutputSchema["Score"]);
        if (compile) _compiled = CompiledTextModel.TryCompile(model, first.Predictor, first.Input, contextFeatures);
        _spare = first;
    }

    public ITransformer Model { get; }

    /// <summary>The model's class names, in the order of its score vector.</summary>
    public string[] ScoreSlots { get; }

    /// <summary>True when predictions run on the compiled form.</summary>
    public bool Compiled => _compiled is not null;

    /// <summary>Class scores of normalized <paramref name="text"/> with its context vector, in <see cref="ScoreSlots"/> order.</summary>
    public void Score(string text, float[] context, Span<float> scores)
    {
        if (_compiled is not null && _compiled.TryScore(text, context, scores)) return;
        var engine = Interlocked.Exchange(ref _spare, null) ?? (_pool.TryTake(out var pooled) ? pooled : CreateEngine());
        try
        {
            engine.Input.Text = text;
            engine.Input.Context = context;
            engine.Predictor.Predict(engine.Input, ref engine.Output);
            engine.Output.Score.CopyTo(scores);
        }
        finally
        {
            if (Interlocked.CompareExchange(ref _spare, engine, null) is not null) _pool.Add(engine);
        }
    }

    private Engine CreateEngine() => new(_ml.Model.CreatePredictionEngine<TRow, ScoreOutput>(Model));

    private static string[] SlotNames(DataViewSchema.Column score)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        score.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    /// <summary>A prediction engine with its reused input row and output (scores only: no predicted label mapped back to text).</summary>
    private sealed class Engine(PredictionEngine<TRow, ScoreOutput> predictor)
    {
        public readonly PredictionEngine<TRow, ScoreOutput> Predictor = predictor;
        public readonly TRow Input = new();
        public ScoreOutput Output = new();
    }
}
