using HotlineQA.Audio;
using HotlineQA.Common;

using HotlineQA.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages.Calls;

public sealed class DetailModel(CallStore calls, UtteranceStore utterances, ScoreStore scores, ReviewStore reviews, HotlineQA.Review.TriageStore triage) : PageModel
{
    public const int MaxNoteLength = 2000;

    public CallRow Call { get; private set; } = null!;
    public IReadOnlyList<UtteranceRow> Utterances { get; private set; } = [];
    public ScoreRow? Score { get; private set; }
    public IReadOnlyList<FindingRow> Findings { get; private set; } = [];
    public IReadOnlyDictionary<long, ReviewRow> Verdicts { get; private set; } = new Dictionary<long, ReviewRow>();
    public DispositionRow? Disposition { get; private set; }
    public AudioAnalysis? Timeline { get; private set; }
    public bool AudioAvailable { get; private set; }
    public string? Error { get; private set; }

    /// <summary>Utterance indexes cited as evidence of a failed item or a fired signal: highlighted in the transcript.</summary>
    public HashSet<int> Cited { get; } = [];

    /// <summary>What asks for a verdict: failures and fired signals the scorer was sure of…</summary>
    public IEnumerable<FindingRow> Sure => Findings.Where(f => HotlineQA.Review.ReviewedScore.IsActionable(f) && !f.NeedsListening);

    /// <summary>…and low-confidence findings: the scorer asks a human to listen before trusting them.</summary>
    public IEnumerable<FindingRow> NeedsListening => Findings.Where(f => HotlineQA.Review.ReviewedScore.IsActionable(f) && f.NeedsListening);

    /// <summary>Passes and not-applicable items: folded away with their reasons, no verdict asked.</summary>
    public IEnumerable<FindingRow> Folded => Findings.Where(f => !HotlineQA.Review.ReviewedScore.IsActionable(f));

    /// <summary>The next call of the "not reviewed" queue (priority order) after this one, for the "next call" key.</summary>
    public long? NextCallId { get; private set; }

    public bool Failed => Call.Status == CallStatus.Failed;

    public static readonly IReadOnlyList<string> Dispositions = ["accepted", "coaching", "escalate", "no-action"];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>An absence failure ("no apology after the complaint") cites only the customer's lines: they mark where the
    /// agent's behaviour was due, not a fault of the customer.</summary>
    public static bool IsAbsence(FindingRow f) =>
        f.Result == HotlineQA.Scoring.Results.Fail && f.EvidenceList.Count > 0 && f.EvidenceList.All(e => e.Speaker == "customer");

    public async Task<IActionResult> OnPostVerdictAsync(long id, long findingId, string? verdict, string? note, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        // Only a finding of this call's current score can be judged here.
        if (Findings.All(f => f.Id != findingId)) return BadRequest("that finding does not belong to this call's current score");
        if (!HotlineQA.Review.ReviewedScore.IsActionable(Findings.First(f => f.Id == findingId)))
            return Invalid("only failures, fired signals and findings that need listening take a verdict");
        if (verdict is not (Storage.Verdicts.Confirm or Storage.Verdicts.Overturn)) return Invalid("choose confirm or overturn");
        if (note?.Length > MaxNoteLength) return Invalid($"the note is longer than {MaxNoteLength} characters");
        await reviews.AddVerdictAsync(findingId, User.Identity!.Name!, verdict, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), ct);
        return Redirect($"/calls/{id}?after={findingId}#finding-{findingId}");
    }

    public async Task<IActionResult> OnPostDispositionAsync(long id, string? disposition, string? note, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (Failed) return Invalid("a call that failed processing has nothing to dispose of; fix the reason shown and re-ingest it");
        if (disposition is null || !Dispositions.Contains(disposition)) return Invalid($"choose one of {string.Join(", ", Dispositions)}");
        if (note?.Length > MaxNoteLength) return Invalid($"the note is longer than {MaxNoteLength} characters");
        await reviews.AddDispositionAsync(id, disposition, User.Identity!.Name!, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), ct);
        return Redirect($"/calls/{id}#disposition");
    }

    private PageResult Invalid(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var call = await calls.GetAsync(id, ct);
        if (call is null) return false;
        Call = call;
        AudioAvailable = call.SizeBytes > 0 && System.IO.File.Exists(call.SourcePath);
        Utterances = await utterances.ListAsync(id, ct);
        Timeline = AudioTimeline.Parse(call.AudioJson);
        Score = await scores.GetCurrentAsync(id, ct);
        Disposition = (await reviews.ListDispositionsAsync(id, ct)).FirstOrDefault();
        if (Score is not null)
        {
            // Failures and signals first: that is what a reviewer opens the call for.
            Findings = (await scores.ListFindingsAsync(Score.Id, ct))
                .OrderBy(f => f.Result switch { "fail" => 0, "fire" => 1, "pass" => 2, _ => 3 })
                .ToList();
            foreach (var f in Findings.Where(f => f.Result is "fail" or "fire"))
                foreach (var e in f.EvidenceList) Cited.Add(e.Utterance);
            Verdicts = (await reviews.ListCurrentForScoreAsync(Score.Id, ct)).ToDictionary(r => r.FindingId);
        }
        NextCallId = (await triage.ListAsync(new HotlineQA.Review.TriageQuery { Reviewed = false, Limit = 2 }, ct))
            .Select(r => (long?)r.Id).FirstOrDefault(x => x != id);
        return true;
    }

    public static string Time(double sec) => TimeSpan.FromSeconds(sec).ToString(@"m\:ss\.f");

    public static string Num(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
