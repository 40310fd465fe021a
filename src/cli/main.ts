console.log("sla-clock CLI: coming soon");
