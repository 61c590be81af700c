using BtsCcst.Grains.Abstractions;
using BtsCcst.Grains.Abstractions.Operations;

namespace BtsCcst.Server.Api;

/// <summary>results.csv (formats.md), written by <see cref="ResultsCsv"/>, which the btsccst tool shares.</summary>
public static class ResultsExport
{
    public const string Header = ResultsCsv.Header;

    public static string Write(IEnumerable<BoardSnapshot> boards) => ResultsCsv.Write(boards);
}
