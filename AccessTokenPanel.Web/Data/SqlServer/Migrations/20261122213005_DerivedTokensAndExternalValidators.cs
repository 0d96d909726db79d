using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class DerivedTokensAndExternalValidators : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The existing settings row gets the product defaults (1-hour access tokens, direct calls
            // allowed); the model sets them in C# for new rows.
            migrationBuilder.AddColumn<int>(
                name: "AccessTokenLifetimeMinutes",
                table: "Settings",
                type: "int",
                nullable: false,
                defaultValue: 60);

            migrationBuilder.AddColumn<bool>(
                name: "ConfigurationApiDirectCalls",
                table: "Settings",
                type: "bit",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "RestApiDirectCalls",
                table: "Settings",
                type: "bit",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "ScimApiDirectCalls",
                table: "Settings",
                type: "bit",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<int>(
                name: "Kind",
                table: "AccessTokens",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "ExternalTokenValidators",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Issuer = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    JwksUrl = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    Audience = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    UserClaim = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Enabled = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExternalTokenValidators", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExternalTokenValidators_Issuer",
                table: "ExternalTokenValidators",
                column: "Issuer");

            migrationBuilder.CreateIndex(
                name: "IX_ExternalTokenValidators_Name",
                table: "ExternalTokenValidators",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExternalTokenValidators");

            migrationBuilder.DropColumn(
                name: "AccessTokenLifetimeMinutes",
                table: "Settings");

            migrationBuilder.DropColumn(
                name: "ConfigurationApiDirectCalls",
                table: "Settings");

            migrationBuilder.DropColumn(
                name: "RestApiDirectCalls",
                table: "Settings");

            migrationBuilder.DropColumn(
                name: "ScimApiDirectCalls",
                table: "Settings");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "AccessTokens");
        }
    }
}
