using System.Diagnostics;
using System.Text;
using HotlineQA.Scoring;
using HotlineQA.TestSupport;
using HotlineQA.Transcription;

namespace HotlineQA.Bench;

/// <summary>
/// Rubric scoring speed on 10-minute calls (dev transcripts chained end to end), on one thread = one core, with the
/// default rubric (baseline) and with the same rubric grown to about 10× its phrases. Also prints the dev-set agreement.
/// </summary>
public sealed class ScoringBench : IBenchmark
{
    public string Name => "scoring";
    public string Description => "transcripts scored per second per core on 10-minute calls; rules only vs with the classifier and customer model vs 10× phrases; 20k vs 200k utterances; dev-set agreement";

    public Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 3.0;
        var dev = DevSet.Load();
        var calls = Enumerable.Range(0, 8).Select(i => TenMinuteCall(dev, i)).ToList();
        Console.WriteLine($"calls: {calls.Count} synthetic 10-minute calls, avg {calls.Average(c => c.Utterances.Count):0} utterances, " +
                          $"avg {calls.Average(c => c.Utterances.Sum(u => u.Text.Length)):0} characters, {calls.Average(c => c.EffectiveDuration):0} s");

        var baseRubric = RubricLoader.LoadDefault();
        var bigRubric = RubricLoader.Parse(Grow(RubricLoader.DefaultYaml(), 10), "default×10");
        var scorers = new (string Name, RubricScorer Scorer)[]
        {
            ("rules only", new RubricScorer(baseRubric)),
            ("with the models", new RubricScorer(baseRubric, HotlineQA.Classification.MlNetUtteranceClassifier.Load(null), CustomerStateReader.Default())),
            ("grown rubric", new RubricScorer(bigRubric)),
            ("customer model", new RubricScorer(baseRubric, null, CustomerStateReader.Default())),
            // The same two models through ML.NET's prediction engines (what the project ran before CompiledTextModel).
            ("models, ML.NET", new RubricScorer(baseRubric, HotlineQA.Classification.MlNetUtteranceClassifier.Load(null).WithoutCompilation(),
                new CustomerStateReader(HotlineQA.Classification.CustomerStateModel.LoadDefault().WithoutCompilation()))),
        };
        var rates = Measure(scorers, calls, seconds);
        double baseRate = rates[0], modelsRate = rates[1], bigRate = rates[2], customerRate = rates[3], engineRate = rates[4];
        Console.WriteLine($"default rubric   : {baseRubric.PieceCount,6} phrase literals  {baseRate,8:0} transcripts/s/core  (target ≥ 1000: {(baseRate >= 1000 ? "met" : "NOT met")})");
        Console.WriteLine($"with the models  : classifier + customer model {modelsRate,8:0} transcripts/s/core  (target ≥ 1000: {(modelsRate >= 1000 ? "met" : "NOT met")}; {modelsRate / baseRate:0.00}× the rules-only baseline, same run)");
        Console.WriteLine($"models via ML.NET: prediction engines instead of the compiled models {engineRate,8:0} transcripts/s/core  (the compiled models are {modelsRate / engineRate:0.00}× that, same run)");
        // Where a call's time goes with the models: the rules, the customer model (rules + customer model − rules) and the
        // utterance classifier (both models − rules + customer model), in ms of CPU per call.
        Console.WriteLine($"per call (ms CPU): rules {1000 / baseRate:0.000}, customer model +{1000 / customerRate - 1000 / baseRate:0.000}, " +
                          $"classifier +{1000 / modelsRate - 1000 / customerRate:0.000} ({calls.Average(c => c.Utterances.Count(u => u.Speaker == Speakers.Customer)):0} customer and " +
                          $"{calls.Average(c => c.Utterances.Count(u => u.Speaker == Speakers.Agent)):0} agent turns per call)");
        Console.WriteLine($"grown rubric     : {bigRubric.PieceCount,6} phrase literals  {bigRate,8:0} transcripts/s/core");
        Console.WriteLine($"ratio            : {(double)bigRubric.PieceCount / baseRubric.PieceCount:0.0}× phrases → {bigRate / baseRate:0.00}× throughput (baseline = default rubric, same run)");

        // Linear in the call's length: one very long transcript of 20k and of 200k utterances (dev calls chained).
        var scorer = new RubricScorer(baseRubric);
        scorer.Score(LongCall(dev, 2_000));
        var t20 = TimeOne(scorer, LongCall(dev, 20_000));
        var t200 = TimeOne(scorer, LongCall(dev, 200_000));
        Console.WriteLine($"long transcripts : 20,000 utterances {t20:0.00} s CPU, 200,000 utterances {t200:0.00} s CPU → {t200 / t20:0.0}× for 10× the length (target ≤ 15×: {(t200 / t20 <= 15 ? "met" : "NOT met")}; baseline = the 20k call, same run)");

        var agreement = DevSet.Measure(new RubricScorer(baseRubric), dev);
        Console.WriteLine($"dev set          : {agreement.Summary}");
        return Task.CompletedTask;
    }

    /// <summary>
    /// Transcripts per CPU-second of the process (the scoring loop runs on one thread; GC and JIT threads count too): "per
    /// core" even on a shared, loaded machine. Every scorer is first warmed up to steady state (tiered JIT done: at least
    /// 600 calls and 1.5 s each), then the scorers take turns in <see cref="Rounds"/> rounds of seconds/rounds each, so a
    /// change of load or leftover warm-up hits all of them alike; each rate is the median of its rounds.
    /// </summary>
    private static double[] Measure((string Name, RubricScorer Scorer)[] scorers, List<Transcript> calls, double seconds)
    {
        foreach (var (_, scorer) in scorers)
        {
            var warm = Stopwatch.StartNew();
            for (var i = 0; i < 600 || warm.Elapsed.TotalSeconds < 1.5; i++) scorer.Score(calls[i % calls.Count]);
        }
        var rounds = scorers.Select(_ => new List<double>()).ToArray();
        var totals = new (int Calls, double Cpu, double Wall)[scorers.Length];
        var process = Process.GetCurrentProcess();
        for (var r = 0; r < Rounds; r++)
            for (var k = 0; k < scorers.Length; k++)
            {
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                var n = 0;
                while (sw.Elapsed.TotalSeconds < seconds / Rounds) scorers[k].Scorer.Score(calls[n++ % calls.Count]);
                process.Refresh();
                var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
                rounds[k].Add(n / cpu);
                totals[k] = (totals[k].Calls + n, totals[k].Cpu + cpu, totals[k].Wall + sw.Elapsed.TotalSeconds);
            }
        var rates = new double[scorers.Length];
        for (var k = 0; k < scorers.Length; k++)
        {
            var scorer = scorers[k].Scorer;
            var a0 = GC.GetAllocatedBytesForCurrentThread();
            foreach (var c in calls) scorer.Score(c);
            var allocated = (GC.GetAllocatedBytesForCurrentThread() - a0) / calls.Count;
            var sorted = rounds[k].Order().ToList();
            rates[k] = sorted[sorted.Count / 2];
            var (n, cpu, wall) = totals[k];
            Console.WriteLine($"    {scorers[k].Name,-16} {n} calls in {wall:0.0} s wall, {cpu:0.00} s CPU ({n / wall:0}/s wall-clock on this shared machine); " +
                              $"rounds {sorted[0]:0}–{sorted[^1]:0}, median {rates[k]:0}/s/core; {allocated / 1024.0:0} KiB allocated per call");
        }
        return rates;
    }

    private const int Rounds = 5;

    private static double TimeOne(RubricScorer scorer, Transcript call)
    {
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        scorer.Score(call);
        process.Refresh();
        return (process.TotalProcessorTime - cpu0).TotalSeconds;
    }

    /// <summary>Dev calls (stereo and mono alike, in turn) chained end to end until the transcript has <paramref name="utterances"/> utterances.</summary>
    public static Transcript LongCall(IReadOnlyList<DevSet.Call> dev, int utterances) => LongTranscript.Chain(dev.Select(c => c.Transcript).ToList(), utterances);

    /// <summary>Stereo dev calls chained end to end (times shifted) until the call lasts 600 s.</summary>
    internal static Transcript TenMinuteCall(IReadOnlyList<DevSet.Call> dev, int seed)
    {
        var stereo = dev.Where(c => c.Transcript.Channels == 2).ToList();
        var utterances = new List<Utterance>();
        var offset = 0.0;
        for (var k = seed; offset < 600; k++)
        {
            var t = stereo[k % stereo.Count].Transcript;
            utterances.AddRange(t.Utterances.Select(u => u with { Start = u.Start + offset, End = u.End + offset }));
            offset += t.EffectiveDuration + 1;
        }
        return new Transcript { CallId = $"ten-minute-{seed}", Channels = 2, DurationSec = offset, Utterances = utterances };
    }

    /// <summary>Adds factor−1 variants of every literal block-list phrase (the phrase plus two filler characters), as QA
    /// staff adding wording would: more literals in the index, the same rules.</summary>
    private static string Grow(string yaml, int factor)
    {
        const string filler = "的一是在了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经";
        var rnd = new Random(42);
        var sb = new StringBuilder();
        foreach (var line in yaml.Split('\n'))
        {
            sb.Append(line).Append('\n');
            var trimmed = line.TrimStart();
            if (!trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed.Contains(':') || trimmed.Contains('$') || trimmed.Contains('[')) continue;
            var indent = line[..(line.Length - trimmed.Length)];
            var phrase = trimmed[2..].Split(" #")[0].Trim();
            for (var i = 1; i < factor; i++)
                sb.Append(indent).Append("- ").Append(phrase).Append(filler[rnd.Next(filler.Length)]).Append(filler[rnd.Next(filler.Length)]).Append('\n');
        }
        return sb.ToString();
    }
}

public sealed class ScoringProfileBench : IBenchmark
{
    public string Name => "scoring-profile";
    public string Description => "where scoring CPU time goes (fold, scan, rules) on one 10-minute call";

    public Task RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "loop") return Loop(args);
        var dev = DevSet.Load();
        var stereo = dev.Where(c => c.Transcript.Channels == 2).ToList();
        var utts = new List<Utterance>();
        var off = 0.0;
        for (var k = 0; off < 600; k++) { var t = stereo[k % stereo.Count].Transcript; utts.AddRange(t.Utterances.Select(u => u with { Start = u.Start + off, End = u.End + off })); off += t.EffectiveDuration + 1; }
        var call = new Transcript { Channels = 2, DurationSec = off, Utterances = utts };
        var rubric = RubricLoader.LoadDefault();
        var scorer = new RubricScorer(rubric);
        for (var i = 0; i < 20; i++) scorer.Score(call);
        var folded = call.Utterances.Select(u => rubric.Folder.Fold(u.Text)).ToArray();
        Cpu("fold", () => { foreach (var u in call.Utterances) rubric.Folder.Fold(u.Text); });
        Cpu("scan", () => rubric.Index.Scan(folded));
        Cpu("view (fold+scan+timing)", () => new CallView(rubric, call, null));
        Cpu("score", () => scorer.Score(call));
        Cpu("score (after 400 more)", () => scorer.Score(call), 400);
        Cpu("score (steady)", () => scorer.Score(call), 1000);
        // With the models: the customer model's reading alone, the classifier alone, and the scorer with each.
        var reader = CustomerStateReader.Default();
        var classifier = HotlineQA.Classification.MlNetUtteranceClassifier.Load(null);
        var withCustomer = new RubricScorer(rubric, null, reader);
        var withBoth = new RubricScorer(rubric, classifier, reader);
        for (var i = 0; i < 200; i++) { withCustomer.Score(call); withBoth.Score(call); reader.Read(call.Utterances); }
        // Twice: the first pass still pays for background JIT of code first run in the warm-up (process CPU counts it).
        for (var pass = 0; pass < 2; pass++)
        {
            Cpu("customer model: read the call", () => reader.Read(call.Utterances), 1000);
            Cpu("customer model: predict the turns", () => HotlineQA.Classification.CustomerStateModel.LoadDefault().Predict(call.Utterances), 1000);
            var states = HotlineQA.Classification.CustomerStateModel.LoadDefault().Predict(call.Utterances);
            Cpu("customer model: summarize", () => HotlineQA.Classification.CustomerStateModel.LoadDefault().Summarize(call.Utterances, states), 1000);
            Cpu("customer model: says something ×turns", () => { foreach (var st in states) HotlineQA.Classification.CustomerStateModel.SaysSomething(call.Utterances[st.Utterance].Text); }, 1000);
            Cpu("classifier: every agent turn", () => { foreach (var u in call.Utterances) if (u.Speaker == Speakers.Agent) classifier.Classify(new HotlineQA.Classification.UtteranceContext(u.Text)); }, 1000);
            Cpu("score, rules only", () => scorer.Score(call), 1000);
            Cpu("score with the customer model", () => withCustomer.Score(call), 1000);
            Cpu("score with both models", () => withBoth.Score(call), 1000);
        }
        var joined = string.Join('\n', folded.Select(f => f.Chars));
        var regexes = rubric.Items.SelectMany(i => i.Match.Values)
            .SelectMany(m => m.Any.Concat(m.All).Concat(m.None)).Where(p => p.Regex is not null).DistinctBy(p => p.Source).ToList();
        var regexCost = new List<(double Ms, string Source)>();
        foreach (var p in regexes)
        {
            var pr = Process.GetCurrentProcess();
            var c0 = pr.TotalProcessorTime;
            for (var i = 0; i < 200; i++) for (var mt = p.Regex!.Match(joined); mt.Success; mt = mt.NextMatch()) { }
            pr.Refresh();
            regexCost.Add(((pr.TotalProcessorTime - c0).TotalMilliseconds / 200, p.Source));
        }
        Console.WriteLine($"regexes ({regexes.Count}, whole call once each): {regexCost.Sum(r => r.Ms):0.000} ms CPU; the costliest:");
        foreach (var (ms, src) in regexCost.OrderByDescending(r => r.Ms).Take(6)) Console.WriteLine($"  {ms:0.000} ms  {src}");
        foreach (var item in rubric.Items)
        foreach (var (slot, m) in item.Match)
        {
            var views = Enumerable.Range(0, 100).Select(_ => new CallView(rubric, call, null)).ToArray();
            var k = 0;
            Cpu($"  {item.Id}.{slot}", () => views[k++ % views.Length].Find(m), 100);
        }
        return Task.CompletedTask;
    }

    /// <summary><c>scoring-profile loop [rules|models] [seconds]</c>: scores the 10-minute calls in a loop, nothing else, for a
    /// sampling profiler (dotnet-trace collect -- …) to attach to.</summary>
    private static Task Loop(string[] args)
    {
        var models = args.Length > 1 && args[1] == "models";
        var seconds = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20;
        var dev = DevSet.Load();
        var calls = Enumerable.Range(0, 8).Select(i => ScoringBench.TenMinuteCall(dev, i)).ToList();
        var rubric = RubricLoader.LoadDefault();
        var scorer = models
            ? new RubricScorer(rubric, HotlineQA.Classification.MlNetUtteranceClassifier.Load(null), CustomerStateReader.Default())
            : args.Length > 1 && args[1] == "customer" ? new RubricScorer(rubric, null, CustomerStateReader.Default())
            : new RubricScorer(rubric);
        if (models)
        {
            // The two models alone, on the same calls: the customer model over every customer turn of a call, the
            // classifier over every agent turn (what BLAME_SHIFTING reads), for the share of the models in a call.
            var customer = CustomerStateReader.Default();
            var classifier = HotlineQA.Classification.MlNetUtteranceClassifier.Load(null);
            var agentTurns = calls.SelectMany(c => c.Utterances.Where(u => u.Speaker == Speakers.Agent)).Select(u => new HotlineQA.Classification.UtteranceContext(u.Text)).ToList();
            var customerTurns = calls.Sum(c => c.Utterances.Count(u => u.Speaker == Speakers.Customer));
            var rulesOnly = new RubricScorer(rubric);
            // Warm up (tiered JIT done) before timing: the JIT thread's CPU would otherwise count.
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < 3)
            {
                foreach (var c in calls) { customer.Read(c.Utterances); rulesOnly.Score(c); }
                foreach (var a in agentTurns) classifier.Classify(a);
            }
            Cpu($"customer model, one call ({customerTurns / calls.Count} turns)", () => { foreach (var c in calls) customer.Read(c.Utterances); }, 50, calls.Count);
            Cpu($"classifier, one call ({agentTurns.Count / calls.Count} agent turns)", () => { foreach (var a in agentTurns) classifier.Classify(a); }, 50, calls.Count);
            Cpu("rules only, one call", () => { foreach (var c in calls) rulesOnly.Score(c); }, 50, calls.Count);
        }
        var sw = Stopwatch.StartNew();
        var n = 0;
        var gc0 = GC.CollectionCount(0);
        var a0 = GC.GetAllocatedBytesForCurrentThread();
        var pause0 = GC.GetTotalPauseDuration();
        while (sw.Elapsed.TotalSeconds < seconds) scorer.Score(calls[n++ % calls.Count]);
        Console.WriteLine($"{n} calls scored ({(models ? "with the models" : args.Length > 1 && args[1] == "customer" ? "with the customer model" : "rules only")}) in {sw.Elapsed.TotalSeconds:0.0} s wall; " +
                          $"{(GC.GetAllocatedBytesForCurrentThread() - a0) / 1024.0 / n:0} KiB allocated and {(double)(GC.CollectionCount(0) - gc0) / n:0.00} gen-0 GCs per call, " +
                          $"GC pauses {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds / n:0.000} ms per call");
        return Task.CompletedTask;
    }

    /// <param name="per">How many units one action covers (the figures are per unit).</param>
    private static void Cpu(string what, Action action, int n = 200, int per = 1)
    {
        var p = Process.GetCurrentProcess();
        var c0 = p.TotalProcessorTime;
        var a0 = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < n; i++) action();
        var kib = (GC.GetAllocatedBytesForCurrentThread() - a0) / 1024.0 / n / per;
        p.Refresh();
        Console.WriteLine($"{what,-40} {(p.TotalProcessorTime - c0).TotalMilliseconds / n / per:0.000} ms CPU {kib,8:0.0} KiB");
    }
}
