using System.Globalization;
using HotlineQA.Classification;
using HotlineQA.Common;
using HotlineQA.Scoring;
using HotlineQA.TestSupport;
using HotlineQA.Transcription;

namespace HotlineQA.Bench;

/// <summary>
/// The ending model (how the customer leaves; NEGATIVE_END from rubric 2026.10) cross-validated by labelled folder: each
/// folder's calls are read by a model trained on the other folders and STC-3 (exactly as <c>customer-model
/// train-ending</c> trains), and NEGATIVE_END as the scorer decides it — the phrases and the customer-state model's
/// sentiment when the rubric sets it (the baseline, same run), or the ending model's probability at the threshold — is
/// compared with the labels. Prints counts and call names, no text.
/// </summary>
public sealed class NegativeEndCvBench : IBenchmark
{
    public string Name => "negative-end";
    public string Description => "NEGATIVE_END agreement with the labels, leave-one-labelled-folder-out: the rule without the ending model (baseline) vs with it [--list]; --complaint: the complaint gate with and without the unhappy-ending path, each folder with its fold's ending model";

    public Task RunAsync(string[] args)
    {
        var ci = CultureInfo.InvariantCulture;
        var rubric = RubricLoader.LoadDefault();
        if (args.Length == 2 && args[0] == "--read")
        {
            // The shipped ending model on one folder of labelled calls: P per call, with the label.
            var shipped = CustomerStateModel.LoadDefault();
            foreach (var e in DevSet.Load(args[1]).Select(c => (c, RubricScorer.ModelUtterancesOf(rubric, c.Transcript))))
            {
                var end = CustomerEndingModel.LoadDefault().Read(e.Item2, shipped.Predict(e.Item2));
                Console.WriteLine(string.Create(ci, $"  {e.c.Name}: labelled {(e.c.Expected.Signals.Contains(LabelledEndings.Signal) ? "fire" : "silent")}, P(ending unhappy) {end?.Negative ?? 0:F3}"));
            }
            return Task.CompletedTask;
        }
        var threshold = rubric.Items.Select(i => i.Rule).OfType<NegativeEndRule>().Single().ModelEndingAbove;
        var customer = CustomerStateModel.LoadDefault();
        var classifier = MlNetUtteranceClassifier.Load(null);
        // Baseline: the same rubric and models, without the ending model (the reading has no Ending, so the rule cannot use it).
        var baseline = new RubricScorer(rubric, classifier, new CustomerStateReader(customer));
        var folders = DevSet.LabelledFolders();
        var byFolder = folders.ToDictionary(f => f, f => LabelledEndings.Read([f], rubric, customer));
        var stc3 = CustomerEndingModel.Stc3Examples(CustomerModelTraining.ReadStc3(TestPaths.Shared("data/stc3/stc3_helpdesk_dev.json")), customer).ToList();
        var rows = new List<(string Folder, string Name, bool Label, bool Rule, double P)>();
        var gate = new List<(string Name, bool Complaint, bool Gate, double P, bool WithEnding)>();
        // The complaint gate with the fold's ending model, at the rubric's complaintUnhappyEnding (the baseline scorer has no
        // ending model, so the same rubric gives the gate without the path).
        var complaint = args.Contains("--complaint");
        if (complaint && rubric.Settings.ComplaintUnhappyEnding >= 1)
            throw new BadInputException("--complaint: the rubric has complaintUnhappyEnding switched off (1); nothing to compare");
        foreach (var folder in folders)
        {
            var model = CustomerEndingModel.Train(folders.Where(f => f != folder).SelectMany(f => byFolder[f]).Concat(stc3));
            var withEnding = complaint ? new RubricScorer(rubric, classifier, new CustomerStateReader(customer, model)) : null;
            foreach (var c in DevSet.Load(folder))
            {
                var r = baseline.Score(c.Transcript);
                var rule = r.Findings.Any(f => f.Item == LabelledEndings.Signal && f.Result == Results.Fire);
                var u = RubricScorer.ModelUtterancesOf(rubric, c.Transcript);
                var p = model.Read(u, customer.Predict(u))?.Negative ?? 0;
                rows.Add((Path.GetFileName(folder), c.Name, c.Expected.Signals.Contains(LabelledEndings.Signal), rule, p));
                if (withEnding is not null) gate.Add(($"{Path.GetFileName(folder)}/{c.Name}", c.Expected.IsComplaint, r.IsComplaint, p, withEnding.Score(c.Transcript).IsComplaint));
            }
        }
        Console.WriteLine($"{rows.Count} labelled calls in {folders.Count} folders, {rows.Count(r => r.Label)} labelled NEGATIVE_END; STC-3 endings in every fold's training: {stc3.Count}");
        Console.WriteLine($"baseline (the rubric's rule without the ending model: its phrases, and the one-turn sentiment when the rubric sets modelSentimentBelow): agrees {rows.Count(r => r.Rule == r.Label)}/{rows.Count}, misses {rows.Count(r => r.Label && !r.Rule)}, false fires {rows.Count(r => !r.Label && r.Rule)}");
        foreach (var t in new[] { 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, threshold, 0.9 }.Distinct().Order())
        {
            bool Fires((string, string, bool, bool Rule, double P) r) => r.Rule || r.P >= t;
            var agree = rows.Count(r => Fires(r) == r.Label);
            Console.WriteLine(string.Create(ci, $"with the ending model at {t:F2}{(t == threshold ? " (the rubric's)" : "")}: agrees {agree}/{rows.Count} ({(double)agree / rows.Count:P1}), misses {rows.Count(r => r.Label && !Fires(r))}, false fires {rows.Count(r => !r.Label && Fires(r))}"));
        }
        if (complaint)
        {
            Console.WriteLine($"complaint gate without the unhappy-ending path (baseline, same run): {gate.Count(g => g.Complaint)} complaint calls, recognised {gate.Count(g => g.Complaint && g.Gate)}, false {gate.Count(g => !g.Complaint && g.Gate)}");
            Console.WriteLine(string.Create(ci, $"with the unhappy-ending path at {rubric.Settings.ComplaintUnhappyEnding:F2} (the fold's ending model): recognised {gate.Count(g => g.Complaint && g.WithEnding)}, false {gate.Count(g => !g.Complaint && g.WithEnding)}"));
            foreach (var g in gate.Where(g => g.Complaint != g.Gate || g.Complaint != g.WithEnding).OrderByDescending(g => g.P))
                Console.WriteLine(string.Create(ci, $"  {g.Name}: complaint {g.Complaint}, gate {g.Gate}, with the ending path {g.WithEnding}, P(ending unhappy) {g.P:F3}"));
            foreach (var g in gate.Where(g => !g.Complaint && !g.WithEnding).OrderByDescending(g => g.P).Take(12))
                Console.WriteLine(string.Create(ci, $"  (enquiry) {g.Name}: P(ending unhappy) {g.P:F3}"));
        }
        if (args.Contains("--list"))
            foreach (var r in rows.Where(r => r.Label != (r.Rule || r.P >= threshold)))
                Console.WriteLine(string.Create(ci, $"  {r.Folder}/{r.Name}: labelled {(r.Label ? "fire" : "silent")}, rule {(r.Rule ? "fires" : "silent")}, P(ending unhappy) {r.P:F3}"));
        return Task.CompletedTask;
    }
}
