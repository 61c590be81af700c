using BtsCcst.Domain.Imports;

namespace BtsCcst.SampleGenerator.Tests;

/// <summary>The six files of a sample session, written to disk and read back with the project's parsers.</summary>
public sealed record SampleFiles(
    ParsedFile<CandidateRow> Candidates,
    ParsedFile<MarkRow> Marks,
    ParsedFile<JuryRow> Juries,
    ParsedFile<CentreRow> Centres,
    ParsedFile<ExaminerRow> Examiners,
    ParsedFile<ConformityRow> Conformity)
{
    /// <summary>Every error of every file, prefixed with the file's name.</summary>
    public IEnumerable<string> Errors =>
        new (string File, IReadOnlyList<ImportError> Errors)[]
            {
                (SampleSession.CandidatesFileName, Candidates.Errors), (SampleSession.MarksFileName, Marks.Errors),
                (SampleSession.JuriesFileName, Juries.Errors), (SampleSession.CentresFileName, Centres.Errors),
                (SampleSession.ExaminersFileName, Examiners.Errors), (SampleSession.ConformityFileName, Conformity.Errors),
            }
            .SelectMany(f => f.Errors.Select(e => $"{f.File}:{e.Line} {e.Column}: {e.Message}"));

    public static SampleFiles WriteAndParse(SampleSession session, string directory)
    {
        session.WriteTo(directory);
        T Read<T>(string file, Func<TextReader, T> parse)
        {
            using var reader = new StreamReader(Path.Combine(directory, file));
            return parse(reader);
        }
        return new(
            Read(SampleSession.CandidatesFileName, r => CandidatesCsv.Parse(r)),
            Read(SampleSession.MarksFileName, MarksCsv.Parse),
            Read(SampleSession.JuriesFileName, JuriesCsv.Parse),
            Read(SampleSession.CentresFileName, CentresCsv.Parse),
            Read(SampleSession.ExaminersFileName, ExaminersCsv.Parse),
            Read(SampleSession.ConformityFileName, ConformityCsv.Parse));
    }
}
