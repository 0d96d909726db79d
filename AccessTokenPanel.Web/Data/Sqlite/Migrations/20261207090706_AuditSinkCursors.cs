using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AccessTokenPanel.Web.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AuditSinkCursors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditSinkCursors",
                columns: table => new
                {
                    Sink = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DeliveredThroughId = table.Column<long>(type: "INTEGER", nullable: false),
                    FailedAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LeaseUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastDeliveredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditSinkCursors", x => x.Sink);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditSinkCursors");
        }
    }
}
