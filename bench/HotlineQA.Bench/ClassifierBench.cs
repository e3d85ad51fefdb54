using System.Diagnostics;
using System.Globalization;
using HotlineQA.Classification;

namespace HotlineQA.Bench;

/// <summary>
/// Utterance classifier: classifications per second on one core, against the text normalization alone (the baseline,
/// measured in the same run), plus the model's load time and size. Optional argument: seconds per measurement (default 3).
/// </summary>
public sealed class ClassifierBench : IBenchmark
{
    public string Name => "classifier";
    public string Description => "utterance classifier and customer-state model: classifications/s per core vs normalization alone; model load time and size";

    public Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
        var ci = CultureInfo.InvariantCulture;

        using (var s = typeof(MlNetUtteranceClassifier).Assembly.GetManifestResourceStream(MlNetUtteranceClassifier.EmbeddedModel)!)
            Console.WriteLine(string.Create(ci, $"model size: {s.Length / 1024.0:F0} KiB (built into HotlineQA.Core)"));
        var sw = Stopwatch.StartNew();
        var classifier = MlNetUtteranceClassifier.Load(null);
        var firstLoad = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        _ = MlNetUtteranceClassifier.Load(null);
        var warmLoad = sw.Elapsed.TotalMilliseconds;
        Console.WriteLine(string.Create(ci, $"model load: {firstLoad:F0} ms first in process (incl. JIT), {warmLoad:F0} ms again"));

        var corpus = TrainingData.Handwritten().Concat(TrainingSetGenerator.Generate(seed: 99, perClass: 400)).Select(u => u.Text).ToArray();
        var avgChars = corpus.Average(t => t.Length);
        Console.WriteLine(string.Create(ci, $"corpus: {corpus.Length} agent utterances, {avgChars:F1} characters on average"));

        // Baseline and classifier run in alternating 100 ms slices, so both see the same load on a shared machine.
        var (baseline, single) = MeasureInterleaved(seconds,
            i => TextNormalizer.Normalize(corpus[i % corpus.Length]).Length,
            i => classifier.Classify(new UtteranceContext(corpus[i % corpus.Length])).Label.Length);
        Console.WriteLine(string.Create(ci, $"baseline, normalization alone:   {baseline,12:N0} /s on one thread"));
        Console.WriteLine(string.Create(ci, $"classification (one thread):     {single,12:N0} /s per core  ({1e6 / single:F1} µs each; target 20,000)"));
        Console.WriteLine(string.Create(ci, $"ratio classification / baseline: {single / baseline:F3} (normalization is {100 * single / baseline:F1} % of the per-utterance cost)"));
        // The compiled model (CompiledTextModel) against ML.NET's prediction engine on the same model, same run.
        var engineOnly = classifier.WithoutCompilation();
        var (compiledRate, engineRate) = MeasureInterleaved(seconds,
            i => classifier.Classify(new UtteranceContext(corpus[i % corpus.Length])).Label.Length,
            i => engineOnly.Classify(new UtteranceContext(corpus[i % corpus.Length])).Label.Length);
        Console.WriteLine(string.Create(ci, $"compiled {(classifier.Compiled ? "yes" : "NO")}: {compiledRate:N0} /s vs ML.NET prediction engine {engineRate:N0} /s = {compiledRate / engineRate:F2}× (baseline = the engine, same run)"));

        var threads = Environment.ProcessorCount;
        var parallel = MeasureParallel(seconds, threads, i => classifier.Classify(new UtteranceContext(corpus[i % corpus.Length])).Label.Length);
        Console.WriteLine(string.Create(ci, $"classification ({threads} threads, shared pooled engines): {parallel:N0} /s = {parallel / threads:N0} /s per core"));

        // The customer-state model on customer turns with their context, against normalization alone (same run).
        using (var s = typeof(CustomerStateModel).Assembly.GetManifestResourceStream(CustomerStateModel.EmbeddedModel)!)
            Console.WriteLine(string.Create(ci, $"customer-state model size: {s.Length / 1024.0:F0} KiB (built into HotlineQA.Core)"));
        sw.Restart();
        var customer = CustomerStateModel.LoadDefault();
        Console.WriteLine(string.Create(ci, $"customer-state model load: {sw.Elapsed.TotalMilliseconds:F0} ms"));
        var turns = CustomerModelTraining.Phone().Select(r => r.Turn).ToArray();
        Console.WriteLine(string.Create(ci, $"customer corpus: {turns.Length} customer turns with context, {turns.Average(t => t.Text.Length):F1} characters on average"));
        var (cBase, cRate) = MeasureInterleaved(seconds,
            i => TextNormalizer.Normalize(turns[i % turns.Length].Text).Length,
            i => customer.Classify(turns[i % turns.Length]).Utterance + 1);
        Console.WriteLine(string.Create(ci, $"baseline, normalization alone:   {cBase,12:N0} /s on one thread"));
        Console.WriteLine(string.Create(ci, $"customer-state (one thread):     {cRate,12:N0} turns/s per core  ({1e6 / cRate:F1} µs each; target 20,000: {(cRate >= 20000 ? "met" : "NOT met")})"));
        Console.WriteLine(string.Create(ci, $"ratio customer-state / baseline: {cRate / cBase:F3}"));
        var customerEngine = customer.WithoutCompilation();
        var (cCompiled, cEngine) = MeasureInterleaved(seconds,
            i => customer.Classify(turns[i % turns.Length]).Utterance + 1,
            i => customerEngine.Classify(turns[i % turns.Length]).Utterance + 1);
        Console.WriteLine(string.Create(ci, $"compiled {(customer.Compiled ? "yes" : "NO")}: {cCompiled:N0} turns/s vs ML.NET prediction engine {cEngine:N0} /s = {cCompiled / cEngine:F2}× (baseline = the engine, same run)"));
        return Task.CompletedTask;
    }

    private static (double A, double B) MeasureInterleaved(double seconds, Func<int, int> a, Func<int, int> b)
    {
        for (var i = 0; i < 2000; i++) { a(i); b(i); } // warm-up: JIT and engine caches
        long na = 0, nb = 0, sink = 0;
        double ta = 0, tb = 0;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < 2 * seconds)
        {
            (na, ta, sink) = Slice(a, na, ta, sink);
            (nb, tb, sink) = Slice(b, nb, tb, sink);
        }
        GC.KeepAlive(sink);
        return (na / ta, nb / tb);

        static (long N, double T, long Sink) Slice(Func<int, int> work, long n, double t, long sink)
        {
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalMilliseconds < 100)
                for (var k = 0; k < 100; k++) sink += work((int)(n++ % int.MaxValue));
            return (n, t + sw.Elapsed.TotalSeconds, sink);
        }
    }

    private static double MeasureParallel(double seconds, int threads, Func<int, int> work)
    {
        long total = 0;
        var sw = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            long n = 0;
            while (sw.Elapsed.TotalSeconds < seconds)
                for (var k = 0; k < 200; k++) work((int)((t * 100_003 + n++) % int.MaxValue));
            Interlocked.Add(ref total, n);
        });
        return total / sw.Elapsed.TotalSeconds;
    }
}
