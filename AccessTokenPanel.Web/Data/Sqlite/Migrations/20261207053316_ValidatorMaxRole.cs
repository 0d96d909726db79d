using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ValidatorMaxRole : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing validators get the default maximum role (ExternalTokenValidator.DefaultMaxRole,
            // written out: a migration keeps the value of its day): none maps to a Super Administrator
            // until its author says so.
            migrationBuilder.AddColumn<string>(
                name: "MaxRole",
                table: "ExternalTokenValidators",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "User Administrator");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MaxRole",
                table: "ExternalTokenValidators");
        }
    }
}
