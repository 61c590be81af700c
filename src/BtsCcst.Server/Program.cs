using BtsCcst.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddBtsCcst();

var app = builder.Build();
app.UseBtsCcst();
app.Run();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
