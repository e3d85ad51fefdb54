namespace HotlineQA.Scoring;

/// <summary>Options of the scoring feature, bound to section <c>Scoring</c>.</summary>
public sealed class ScoringOptions
{
    public const string Section = "Scoring";

    /// <summary>Rubric YAML file; empty = the built-in <c>Scoring/Rubrics/default.yaml</c>.</summary>
    public string? RubricPath { get; set; }

    /// <summary>Unihan readings (<c>Unihan_Readings.txt[.bz2]</c> or <c>Unihan.zip</c>); empty = look under /usr/share/unicode.</summary>
    public string? UnihanPath { get; set; }
}
