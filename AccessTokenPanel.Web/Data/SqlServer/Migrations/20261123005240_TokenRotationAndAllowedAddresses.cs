using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class TokenRotationAndAllowedAddresses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AllowedAddresses",
                table: "AccessTokens",
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ReplacedByTokenId",
                table: "AccessTokens",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RotatedAt",
                table: "AccessTokens",
                type: "datetime2",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AllowedAddresses",
                table: "AccessTokens");

            migrationBuilder.DropColumn(
                name: "ReplacedByTokenId",
                table: "AccessTokens");

            migrationBuilder.DropColumn(
                name: "RotatedAt",
                table: "AccessTokens");
        }
    }
}
