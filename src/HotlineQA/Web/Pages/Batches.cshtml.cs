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

    public async Task OnGetAsync(CancellationToken ct) =>
        Runs = (await batches.SummariesAsync(Shown, ct)).Select(r => (r, r.Failures())).ToList();
}
