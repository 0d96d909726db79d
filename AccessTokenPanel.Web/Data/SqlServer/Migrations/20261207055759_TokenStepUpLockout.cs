using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class TokenStepUpLockout : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "StepUpFailedAttempts",
                table: "AccessTokens",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "StepUpLockedUntil",
                table: "AccessTokens",
                type: "datetime2",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StepUpFailedAttempts",
                table: "AccessTokens");

            migrationBuilder.DropColumn(
                name: "StepUpLockedUntil",
                table: "AccessTokens");
        }
    }
}
