using System.Globalization;
using HotlineQA.Classification;
using HotlineQA.Scoring;
using HotlineQA.TestSupport;

namespace HotlineQA.Bench;

/// <summary>
/// The call-complaint model (rubric 2026.29's complaintCallModel path) cross-validated by labelled folder: the folders, in
/// ordinal order of their names, are dealt into K groups; each group's calls are scored with a call-complaint model
/// trained on the other groups (exactly as <c>customer-model train-complaint</c> trains), and the complaint gate is
/// compared with the calls' isComplaint labels — without the path (the baseline, same run: the same rubric, classifier,
/// customer-state and shipped ending models) and with it: the add path at several thresholds, and the whole gate as the
/// rubric sets it (the add path and the veto, complaintCallVeto, also at other levels). The ending model is the shipped one
/// (trained on every labelled folder), so the baseline is, if anything, flattered. Prints counts and call names, no text.
/// </summary>
public sealed class ComplaintCallCvBench : IBenchmark
{
    public string Name => "complaint-call";
    public string Description => "complaint-call recall and false complaints over the labelled calls, cross-validated by folder (default 10 groups): the gate without the call-complaint model (baseline) vs with it [K] [--list]";

    public Task RunAsync(string[] args)
    {
        var ci = CultureInfo.InvariantCulture;
        var k = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) is { } n ? int.Parse(n, ci) : 10;
        var rubric = RubricLoader.LoadDefault();
        var threshold = rubric.Settings.ComplaintCallModel;
        var customer = CustomerStateModel.LoadDefault();
        var ending = CustomerEndingModel.LoadDefault();
        var classifier = MlNetUtteranceClassifier.Load(null);
        var baseline = new RubricScorer(rubric, classifier, new CustomerStateReader(customer, ending));
        var folders = DevSet.LabelledFolders().OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
        var group = folders.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i % k);
        var byFolder = folders.ToDictionary(f => f, f => LabelledComplaintCalls.Read([f], rubric));
        // The rubric as shipped, and with the veto at other levels (complaintCallVeto), each scored with the fold's model.
        var yaml = RubricLoader.DefaultYaml();
        var vetoLine = $"complaintCallVeto: {rubric.Settings.ComplaintCallVeto.ToString(ci)}";
        var vetoes = new[] { 0.0, 0.1, 0.2, 0.3, 0.4, 0.5 }.Select(v => (V: v, Rubric: yaml.Contains(vetoLine, StringComparison.Ordinal)
            ? RubricLoader.Parse(yaml.Replace(vetoLine, $"complaintCallVeto: {v.ToString(ci)}", StringComparison.Ordinal), "veto.yaml") : null))
            .Where(x => x.Rubric is not null).ToList();
        var rows = new List<(string Name, bool Complaint, bool Gate, double P, bool Shipped, bool[] Vetoed)>();
        for (var g = 0; g < k; g++)
        {
            var model = CallComplaintModel.Train(folders.Where(f => group[f] != g).SelectMany(f => byFolder[f]));
            var reader = new CustomerStateReader(customer, ending, model);
            var shipped = new RubricScorer(rubric, classifier, reader);
            var byVeto = vetoes.Select(v => new RubricScorer(v.Rubric!, classifier, reader)).ToList();
            foreach (var folder in folders.Where(f => group[f] == g))
            foreach (var c in DevSet.Load(folder))
            {
                var gate = baseline.Score(c.Transcript).IsComplaint;
                var p = model.Probability(RubricScorer.ModelUtterancesOf(rubric, c.Transcript)) ?? 0;
                rows.Add(($"{Path.GetFileName(folder)}/{c.Name}", c.Expected.IsComplaint, gate, p, shipped.Score(c.Transcript).IsComplaint,
                    byVeto.Select(s => s.Score(c.Transcript).IsComplaint).ToArray()));
            }
        }
        // The path adds a complaint only where the gate found none (and, in the scorer, no phrase was heard and the line is not
        // poor — so the figures below are an upper bound of what it adds by a hair).
        var complaints = rows.Count(r => r.Complaint);
        Console.WriteLine($"{rows.Count} labelled calls in {folders.Count} folders, {complaints} complaint calls; {k} folder groups");
        Console.WriteLine($"baseline (the gate without the call-complaint model, same run): recognised {rows.Count(r => r.Complaint && r.Gate)}/{complaints}, false complaints {rows.Count(r => !r.Complaint && r.Gate)}/{rows.Count - complaints}");
        foreach (var t in new[] { 0.7, 0.8, 0.85, 0.9, 0.95, threshold }.Where(t => t < 1).Distinct().Order())
        {
            bool With((string, bool, bool Gate, double P, bool, bool[]) r) => r.Gate || r.P >= t;
            Console.WriteLine(string.Create(ci, $"with the call-complaint model at {t:F2}{(t == threshold ? " (the rubric's)" : "")}: recognised {rows.Count(r => r.Complaint && With(r))}/{complaints}, false complaints {rows.Count(r => !r.Complaint && With(r))}"));
        }
        Console.WriteLine(string.Create(ci, $"the gate as the rubric sets it (complaintCallModel {threshold:F2}, complaintCallVeto {rubric.Settings.ComplaintCallVeto:F2}), the fold's model: recognised {rows.Count(r => r.Complaint && r.Shipped)}/{complaints}, false complaints {rows.Count(r => !r.Complaint && r.Shipped)}"));
        for (var v = 0; v < vetoes.Count; v++)
            Console.WriteLine(string.Create(ci, $"  with complaintCallVeto {vetoes[v].V:F2}: recognised {rows.Count(r => r.Complaint && r.Vetoed[v])}/{complaints}, false complaints {rows.Count(r => !r.Complaint && r.Vetoed[v])}"));
        Console.WriteLine(string.Create(ci, $"the model alone at 0.50: recognised {rows.Count(r => r.Complaint && r.P >= 0.5)}/{complaints}, false complaints {rows.Count(r => !r.Complaint && r.P >= 0.5)}"));
        if (args.Contains("--list"))
            foreach (var r in rows.Where(r => r.Complaint != r.Shipped || r.Complaint != r.Gate).OrderByDescending(r => r.P))
                Console.WriteLine(string.Create(ci, $"  {r.Name}: complaint {r.Complaint}, gate without {r.Gate}, as shipped {r.Shipped}, P(complaint call) {r.P:F3}"));
        return Task.CompletedTask;
    }
}
