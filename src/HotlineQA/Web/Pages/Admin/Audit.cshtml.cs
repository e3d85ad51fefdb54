using HotlineQA.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HotlineQA.Host.Web.Pages.Admin;

/// <summary>The newest audit entries: verdicts, dispositions, user changes.</summary>
[Authorize(Policy = Roles.AdminPolicy)]
public sealed class AuditModel(AuditStore audit) : PageModel
{
    public IReadOnlyList<AuditRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Rows = await audit.ListAsync(limit: 500, ct: ct);
}
