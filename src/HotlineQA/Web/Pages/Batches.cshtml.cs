using HotlineQA.Pipeline;
using HotlineQA.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages;

/// <summary>The overnight batch summaries (the same figures as <c>hotlineqa batch status</c>): counts, failures with
/// their reasons, throughput. Reviewers and admins; coaches have no use for operations. Admins can start a batch now
/// (the same run as <c>hotlineqa batch run</c>, trigger <c>web</c>, audited as <c>batch.run</c>).</summary>
[Authorize(Roles = Roles.Reviewer + "," + Roles.Admin)]
public sealed class BatchesModel(BatchStore batches, BatchRunner runner, AuditStore audit) : PageModel
{
    public const int Shown = 20;

    public IReadOnlyList<(BatchRun Run, IReadOnlyList<BatchFailure> Failures)> Runs { get; private set; } = [];

    /// <summary>What the run started from this page reported (after the redirect: from the query string).</summary>
    [BindProperty(SupportsGet = true)] public long? Started { get; set; }

    public async Task OnGetAsync(CancellationToken ct) =>
        Runs = (await batches.SummariesAsync(Shown, ct)).Select(r => (r, r.Failures())).ToList();

    public async Task<IActionResult> OnPostRunAsync(CancellationToken ct)
    {
        if (!User.IsInRole(Roles.Admin)) return Forbid();
        // The run registers the inbox files and queues their calls; the workers do the rest. A closed browser must not
        // stop it half-way, so it does not take the request's cancellation.
        var start = await runner.RunAsync("web", CancellationToken.None);
        await audit.WriteAsync(User.Identity!.Name!, "batch.run", $"batch:{start.BatchId}", $"{start.Found} files, {start.New} new, {start.Queued} queued", ct);
        return Redirect($"/batches?started={start.BatchId}");
    }
}
