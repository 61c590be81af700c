using BtsCcst.Domain.Imports;

namespace BtsCcst.Domain.Tests.Imports;

/// <summary>The optional columns that name people for their access links: juries.csv president_email, centres.csv manager_name and manager_email.</summary>
public class PeopleColumnsTests
{
    private const string CentresHeader = "centre_id,name,academies,time_zone,dates,day_start,day_end,lunch_start,lunch_end,exam_rooms,prep_seats,address";
    private const string Centre = "CAEN-1,Lycée Malherbe,NORMANDIE,Europe/Paris,2024-05-27,08:00,18:00,12:00,13:30,12,20,";

    [Fact]
    public void Without_the_optional_columns_the_files_read_as_before()
    {
        var centre = Assert.Single(CentresCsv.Parse(new StringReader($"{CentresHeader}\n{Centre}\n")).Rows);
        Assert.Equal(("", ""), (centre.ManagerName, centre.ManagerEmail));
        var jury = Assert.Single(JuriesCsv.Parse(new StringReader("jury_id,academies,president,members\nJ1,NORMANDIE,Mme Roux,\n")).Rows);
        Assert.Equal("", jury.PresidentEmail);
    }

    [Fact]
    public void The_manager_and_the_presidents_address_are_read_and_checked()
    {
        var centres = CentresCsv.Parse(new StringReader($"{CentresHeader},manager_name,manager_email\n{Centre},Mme Lefèvre,lefevre@ac-normandie.fr\n"
            + $"{Centre.Replace("CAEN-1", "CAEN-2")},,pas-une-adresse\n{Centre.Replace("CAEN-1", "CAEN-3")},,\n"));
        var caen1 = centres.Rows.Single(r => r.CentreId == "CAEN-1");
        Assert.Equal(("Mme Lefèvre", "lefevre@ac-normandie.fr"), (caen1.ManagerName, caen1.ManagerEmail));
        Assert.Contains(centres.Rows, r => r.CentreId == "CAEN-3");
        Assert.Contains(centres.Errors, e => e.Line == 3 && e.Column == "manager_email" && e.Message.Contains("pas-une-adresse"));
        Assert.Contains(centres.Errors, e => e.Line == 3 && e.Column == "manager_name");

        var juries = JuriesCsv.Parse(new StringReader("jury_id,academies,president,members,president_email\nJ1,NORMANDIE,Mme Roux,,roux@ac-normandie.fr\nJ2,LYON,M. Blanc,,blanc@\n"));
        Assert.Equal("roux@ac-normandie.fr", Assert.Single(juries.Rows).PresidentEmail);
        Assert.Equal("president_email", Assert.Single(juries.Errors).Column);
    }
}
