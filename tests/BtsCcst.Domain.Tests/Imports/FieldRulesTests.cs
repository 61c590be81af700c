using BtsCcst.Domain.Imports;

namespace BtsCcst.Domain.Tests.Imports;

public sealed class FieldRulesTests
{
    [Theory]
    [InlineData("2024")]
    [InlineData("NORMANDIE")]
    [InlineData("AIX-MARSEILLE")]
    [InlineData("run-20240601-abc123")]
    [InlineData("a")]
    [InlineData("A2345678901234567890123456789012")]
    public void Identifiers_of_1_to_32_characters_starting_with_a_letter_or_digit_are_accepted(string id) =>
        Assert.True(FieldRules.IsId(id));

    [Theory]
    [InlineData("2024\n")] // $ would match before a final newline
    [InlineData("2024\r\n")]
    [InlineData("\n2024")]
    [InlineData("-2-3")] // a spreadsheet evaluates it in a CSV export
    [InlineData("_x")]
    [InlineData("")]
    [InlineData("A23456789012345678901234567890123")] // 33
    [InlineData("CAEN 1")]
    [InlineData("é")]
    public void Anything_else_is_refused(string id) => Assert.False(FieldRules.IsId(id));

    [Theory]
    [InlineData("0141234X\n")]
    [InlineData("0141234X")]
    public void A_school_code_is_the_whole_text(string uai) => Assert.Equal(!uai.EndsWith('\n'), FieldRules.IsUai(uai));

    [Fact]
    public void The_refusal_says_the_rule() =>
        Assert.Equal("Identifiant « -2 » invalide pour session : attendu 1 à 32 caractères parmi A-Z, a-z, 0-9, _ et -, le premier une lettre ou un chiffre.",
            FieldRules.InvalidIdMessage("session", "-2"));
}
