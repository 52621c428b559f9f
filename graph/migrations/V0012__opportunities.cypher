// Opportunities (issue 19): roles an organisation offers a person, found by interest,
// area and distance. Ids are unique; the list's entry points are the area and the title
// order (distance enters through the location's own point index).
CREATE CONSTRAINT opportunity_id IF NOT EXISTS
FOR (o:Opportunity) REQUIRE o.id IS UNIQUE;

CREATE INDEX opportunity_area_code IF NOT EXISTS
FOR (o:Opportunity) ON (o.areaCode);

CREATE INDEX opportunity_title IF NOT EXISTS
FOR (o:Opportunity) ON (o.title);
