using HotlineQA.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages;

public sealed class IndexModel(CallStore calls) : PageModel
{
    public IReadOnlyList<CallSummary> Calls { get; private set; } = [];
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public bool? Flagged { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var status = CallStatus.All.Contains(Status) ? Status : null;
        Calls = await calls.ListAsync(new CallQuery { Status = status, Flagged = Flagged, Limit = 500 }, ct);
        Counts = await calls.CountByStatusAsync(ct);
    }
}
