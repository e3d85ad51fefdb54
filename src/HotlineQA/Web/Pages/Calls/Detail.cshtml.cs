using HotlineQA.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages.Calls;

public sealed class DetailModel(CallStore calls, UtteranceStore utterances, ScoreStore scores) : PageModel
{
    public CallRow Call { get; private set; } = null!;
    public IReadOnlyList<UtteranceRow> Utterances { get; private set; } = [];
    public ScoreRow? Score { get; private set; }
    public IReadOnlyList<FindingRow> Findings { get; private set; } = [];
    public bool AudioAvailable { get; private set; }

    /// <summary>Utterance indexes cited as evidence of a failed item or a fired signal: highlighted in the transcript.</summary>
    public HashSet<int> Cited { get; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var call = await calls.GetAsync(id, ct);
        if (call is null) return NotFound();
        Call = call;
        AudioAvailable = call.SizeBytes > 0 && System.IO.File.Exists(call.SourcePath);
        Utterances = await utterances.ListAsync(id, ct);
        Score = await scores.GetCurrentAsync(id, ct);
        if (Score is not null)
        {
            // Failures and signals first: that is what a reviewer opens the call for.
            Findings = (await scores.ListFindingsAsync(Score.Id, ct))
                .OrderBy(f => f.Result switch { "fail" => 0, "fire" => 1, "pass" => 2, _ => 3 })
                .ToList();
            foreach (var f in Findings.Where(f => f.Result is "fail" or "fire"))
                foreach (var e in f.EvidenceList) Cited.Add(e.Utterance);
        }
        return Page();
    }

    public static string Time(double sec) => TimeSpan.FromSeconds(sec).ToString(@"m\:ss\.f");
}
