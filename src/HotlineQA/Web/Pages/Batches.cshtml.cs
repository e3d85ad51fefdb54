using System.Text.Json;
using HotlineQA.Common;
using HotlineQA.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages;

/// <summary>The overnight batch summaries (the same figures as <c>hotlineqa batch status</c>): counts, failures with
/// their reasons, throughput. Reviewers and admins; coaches have no use for operations.</summary>
[Authorize(Roles = Roles.Reviewer + "," + Roles.Admin)]
public sealed class BatchesModel(BatchStore batches) : PageModel
{
    public const int Shown = 20;

    public IReadOnlyList<(BatchRun Run, IReadOnlyList<BatchFailure> Failures)> Runs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var runs = new List<(BatchRun, IReadOnlyList<BatchFailure>)>();
        foreach (var listed in await batches.ListAsync(Shown, ct))
        {
            // A batch still running is counted afresh (as the CLI does); a finished one keeps its stored summary.
            var run = listed.Status == "done" ? listed : await batches.RefreshAsync(listed.Id, ct) ?? listed;
            var failures = JsonSerializer.Deserialize<List<BatchFailure>>(run.FailuresJson, HotlineJson.Options) ?? [];
            runs.Add((run, failures));
        }
        Runs = runs;
    }
}
