using System.Globalization;
using System.Text.Encodings.Web;
using HotlineQA.Scoring;
using Microsoft.AspNetCore.Html;

namespace HotlineQA.Host.Web;

/// <summary>
/// What people read instead of codes: rubric items, results, severities and flag reasons by their names in the rubric
/// file (<see cref="Rubric.NameOf"/>, so a site's edited rubric names its own items); sort keys and the UI's own codes
/// by the Chinese labels below. The English name and the code are on hover (<c>title</c>).
/// </summary>
public static class Names
{
    public static readonly IReadOnlyDictionary<string, DisplayName> Ui = new Dictionary<string, DisplayName>(StringComparer.Ordinal)
    {
        // triage sorts
        ["priority"] = new("优先:先标记,再低分", "flagged first, then lowest score"),
        ["score"] = new("得分从低到高", "score, lowest first"),
        ["score_desc"] = new("得分从高到低", "score, highest first"),
        ["date"] = new("最新的在前", "newest first"),
        ["date_asc"] = new("最早的在前", "oldest first"),
        ["agent"] = new("按坐席", "by agent"),
        ["queue"] = new("按队列", "by queue"),
        ["sentiment"] = new("客户结束时情绪最差在前", "unhappiest customer at the end first"),
        // dispositions
        ["accepted"] = new("认可", "accepted"),
        ["coaching"] = new("需辅导", "coaching"),
        ["escalate"] = new("升级处理", "escalate"),
        ["no-action"] = new("无需处理", "no action"),
        // verdicts
        ["confirm"] = new("确认", "confirmed"),
        ["overturn"] = new("推翻", "overturned"),
        // sentiment
        ["better"] = new("好转", "better"),
        ["same"] = new("持平", "same"),
        ["worse"] = new("变差", "worse"),
        ["unhappy"] = new("客户结束时不满", "customer left unhappy"),
        // library outcomes
        ["good"] = new("好例(通过)", "good example (pass)"),
        ["bad"] = new("反例(未通过)", "bad example (fail)"),
        // speakers
        ["agent-speaker"] = new("坐席", "agent"),
        ["customer-speaker"] = new("客户", "customer"),
        // call statuses
        ["pending"] = new("排队中", "pending"),
        ["audio"] = new("音频分析中", "audio analysis"),
        ["transcribing"] = new("转写中", "transcribing"),
        ["scoring"] = new("评分中", "scoring"),
        ["scored"] = new("已评分", "scored"),
        ["failed"] = new("处理失败", "failed"),
    };

    // Chinese stays Chinese in the HTML (the pages' encoder is set the same way in WebApp): smaller pages, readable source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    /// <summary>A rubric code (item, result, severity, flag reason) or a UI code as its Chinese name.</summary>
    public static DisplayName Of(Rubric rubric, string code) =>
        Ui.TryGetValue(code, out var ui) ? ui : rubric.NameOf(code);

    /// <summary>The Chinese name with the English name and the code on hover.</summary>
    public static IHtmlContent Html(Rubric rubric, string code)
    {
        var n = Of(rubric, code);
        var enc = Encoder;
        var title = n.En == code || n.Zh == code ? n.En : $"{n.En} ({code})";
        return new HtmlString($"<span class=\"name\" title=\"{enc.Encode(title)}\" data-code=\"{enc.Encode(code)}\">{enc.Encode(n.Zh)}</span>");
    }

    public static string Speaker(string speaker) => Ui.TryGetValue(speaker + "-speaker", out var n) ? n.Zh : speaker;

    /// <summary>Rubric items whose id, Chinese or English name or one of its aliases contains the text (case-insensitive),
    /// or whose alias the text contains: how a coach types 致歉, 道歉 or "apology" into the item box. Null for a blank box (no item filter).</summary>
    public static IReadOnlyList<string>? FindItems(Rubric rubric, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        return rubric.Items.Where(i => i.Id.Equals(text, StringComparison.OrdinalIgnoreCase)
                                       || i.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
                                       || i.NameEn.Contains(text, StringComparison.OrdinalIgnoreCase)
                                       || i.Aliases.Any(a => a.Contains(text, StringComparison.OrdinalIgnoreCase)
                                                             || text.Contains(a, StringComparison.OrdinalIgnoreCase)))
            .Select(i => i.Id).ToList();
    }

    /// <summary>Customer sentiment (−1…1) as text, or "—" when the score has none.</summary>
    public static string Sentiment(double? v) => v is { } x ? x.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture) : "—";

    public static string Time(double sec) => TimeSpan.FromSeconds(Math.Max(0, sec)).ToString(@"m\:ss\.f", CultureInfo.InvariantCulture);
}
