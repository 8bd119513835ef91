SELECT * FORM counts;
