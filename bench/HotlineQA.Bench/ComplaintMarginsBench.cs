using System.Globalization;
using HotlineQA.Classification;
using HotlineQA.Scoring;
using HotlineQA.TestSupport;
using HotlineQA.Transcription;

namespace HotlineQA.Bench;

/// <summary>
/// How near the complaint gate's "opening grievance acknowledged" rule (settings complaintOpeningGrievance,
/// complaintAgentApology) is to taking a non-complaint call for a complaint: per labelled call, the customer model's
/// P(complaint) of the customer's first turn that says something and the agent classifier's largest P(sincere_apology)
/// of a later agent turn with an apology word of the APOLOGY item (not a silent/poor-line script) (read with its context, as the scorer reads it). Prints call names and numbers only, no text.
/// </summary>
public sealed class ComplaintMarginsBench : IBenchmark
{
    public string Name => "complaint-margins";
    public string Description => "per labelled folder [folders...]: opening P(complaint) and later agent P(sincere_apology) of every call, the non-complaint calls nearest to the gate first";

    /// <summary>Keeps the utterances the scorer gives the customer model (roles inferred on a mono call).</summary>
    private sealed class Recorder(ICustomerModel inner) : ICustomerModel
    {
        public IReadOnlyList<Utterance> Utterances { get; private set; } = [];
        public CustomerReading? Reading { get; private set; }
        public CustomerReading Read(IReadOnlyList<Utterance> utterances) { Utterances = utterances; return Reading = inner.Read(utterances); }
        public CustomerTurnReading? ReadTogether(IReadOnlyList<Utterance> utterances, IReadOnlyList<int> turns) => inner.ReadTogether(utterances, turns);
    }

    public Task RunAsync(string[] args)
    {
        var ci = CultureInfo.InvariantCulture;
        var rubric = RubricLoader.LoadDefault();
        var classifier = MlNetUtteranceClassifier.Load(null);
        var recorder = new Recorder(CustomerStateReader.Default());
        var scorer = new RubricScorer(rubric, classifier, recorder);
        // The same rubric without the rule (complaintAgentApology 1): which complaint calls only the rule recognises.
        var yaml = new StreamReader(typeof(RubricLoader).Assembly.GetManifestResourceStream(RubricLoader.DefaultResource)!).ReadToEnd();
        var off = RubricLoader.Parse(System.Text.RegularExpressions.Regex.Replace(yaml, @"complaintAgentApology: [0-9.]+", "complaintAgentApology: 1"), "without.yaml");
        var without = new RubricScorer(off, classifier, CustomerStateReader.Default());
        var apologySlot = rubric.Items.FirstOrDefault(i => i.Rule is ApologyRule)?.Slot("apology");
        var folders = args.Length > 0 ? args : [DevSet.Folder];
        var rows = new List<(string Name, bool Label, bool Gate, double Opening, double Apology, bool ByRule)>();
        foreach (var folder in folders)
            foreach (var c in DevSet.Load(folder))
            {
                var gate = scorer.Score(c.Transcript).IsComplaint;
                var byRule = gate && !without.Score(c.Transcript).IsComplaint;
                var view = new CallView(rubric, c.Transcript, null);
                var worded = apologySlot is null ? null : view.Find(apologySlot).Select(h => h.Utterance).ToHashSet();
                var u = recorder.Utterances;
                var first = recorder.Reading!.Turns.Where(t => u[t.Utterance].Speaker == Speakers.Customer && CustomerStateModel.SaysSomething(u[t.Utterance].Text))
                    .Select(t => (CustomerTurnReading?)t).FirstOrDefault();
                double opening = first?.Complaint ?? 0, apology = 0;
                if (first is { } f)
                    for (var i = f.Utterance + 1; i < u.Count; i++)
                    {
                        if (u[i].Speaker != Speakers.Agent || (worded is not null && !worded.Contains(i))) continue;
                        string? prev = null, next = null;
                        for (var j = i - 1; j >= 0 && prev is null; j--) if (u[j].Speaker == Speakers.Customer) prev = u[j].Text;
                        for (var j = i + 1; j < u.Count && next is null; j++) if (u[j].Speaker == Speakers.Agent) next = u[j].Text;
                        var p = classifier.Classify(new UtteranceContext(u[i].Text, prev, next)).Probabilities.GetValueOrDefault(UtteranceLabels.SincereApology);
                        apology = Math.Max(apology, p);
                    }
                rows.Add(($"{Path.GetFileName(Path.GetFullPath(folder))}/{c.Name}", c.Expected.IsComplaint, gate, opening, apology, byRule));
            }
        var s = rubric.Settings;
        Console.WriteLine(string.Create(ci, $"{rows.Count} calls; rule: opening P(complaint) >= {s.ComplaintApologyOpening} and a later agent P(sincere_apology) >= {s.ComplaintAgentApology}"));
        Console.WriteLine("non-complaint calls (label), nearest to the rule first (distance = the larger shortfall of the two):");
        foreach (var r in rows.Where(r => !r.Label).OrderBy(r => Math.Max(s.ComplaintApologyOpening - r.Opening, s.ComplaintAgentApology - r.Apology)).Take(12))
            Console.WriteLine(string.Create(ci, $"  {(r.Gate ? "COMPLAINT" : "-"),-9} opening {r.Opening:F3} apology {r.Apology:F3}  {r.Name}"));
        var top = rows.Where(r => !r.Label).ToList();
        Console.WriteLine(string.Create(ci, $"non-complaint calls: largest later P(sincere_apology) {top.Max(r => r.Apology):F3}; with an opening grievance: {top.Where(r => r.Opening >= s.ComplaintApologyOpening).Select(r => r.Apology).DefaultIfEmpty(0).Max():F3}"));
        Console.WriteLine("complaint calls (label) with an opening grievance, smallest apology first:");
        foreach (var r in rows.Where(r => r.Label && r.Opening >= s.ComplaintApologyOpening).OrderBy(r => r.Apology).Take(12))
            Console.WriteLine(string.Create(ci, $"  {(r.Gate ? "recognised" : "MISSED"),-10} opening {r.Opening:F3} apology {r.Apology:F3}  {r.Name}"));
        Console.WriteLine("calls recognised as complaint calls only by this rule (not without it):");
        foreach (var r in rows.Where(r => r.ByRule).OrderBy(r => r.Apology))
            Console.WriteLine(string.Create(ci, $"  {(r.Label ? "complaint" : "FALSE"),-9} opening {r.Opening:F3} apology {r.Apology:F3}  {r.Name}"));
        Console.WriteLine(string.Create(ci, $"complaint calls: {rows.Count(r => r.Label && r.Gate)}/{rows.Count(r => r.Label)} recognised; {rows.Count(r => r.Label && r.Apology >= s.ComplaintAgentApology)} have a later sincere apology; non-complaint calls taken for complaints {rows.Count(r => !r.Label && r.Gate)}/{rows.Count(r => !r.Label)}"));
        return Task.CompletedTask;
    }
}
