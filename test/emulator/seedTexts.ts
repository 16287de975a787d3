/**
 * File contents for the seed's text files (Project Files/Schedules): versions that differ line by line,
 * so a version diff has something to show, and one binary DXF whose name says "text" but whose bytes do not.
 */

const DOOR_HEADER = 'Mark,Level,Width (mm),Height (mm),Fire Rating,Hardware Set';

/** Door Schedule.csv, versions 1 to 3. */
export const DOOR_SCHEDULE_CSV: string[] = [
  [DOOR_HEADER, 'D-101,Level 1,900,2100,FD30,HW-1', 'D-102,Level 1,900,2100,FD30,HW-1', 'D-103,Level 1,1200,2100,FD60,HW-2', 'D-201,Level 2,900,2100,FD30,HW-1', ''].join('\r\n'),
  [DOOR_HEADER, 'D-101,Level 1,900,2100,FD30,HW-1', 'D-102,Level 1,1000,2100,FD30,HW-3', 'D-103,Level 1,1200,2100,FD60,HW-2', 'D-201,Level 2,900,2100,FD30,HW-1', 'D-202,Level 2,900,2100,FD30,HW-1', ''].join(
    '\r\n',
  ),
  [
    DOOR_HEADER,
    'D-101,Level 1,900,2100,FD30,HW-1',
    'D-102,Level 1,1000,2100,FD60,HW-3',
    'D-103,Level 1,1200,2400,FD60,HW-2',
    'D-201,Level 2,900,2100,FD30,HW-1',
    'D-202,Level 2,900,2100,FD30,HW-4',
    'D-301,Level 3,900,2100,FD30,HW-1',
    '',
  ].join('\r\n'),
];

function ifc(description: string, timestamp: string, extra: string[]): string {
  return [
    'ISO-10303-21;',
    'HEADER;',
    `FILE_DESCRIPTION(('${description}'),'2;1');`,
    `FILE_NAME('Frame.ifc','${timestamp}',('Dana Demo'),('Emulator'),'IFC export','APS emulator','');`,
    "FILE_SCHEMA(('IFC4'));",
    'ENDSEC;',
    'DATA;',
    "#1=IFCPROJECT('2O2Fr$t4X7Zf8NOew3FLOH',$,'Tower',$,$,$,$,$,$);",
    "#2=IFCSITE('0KMpiAlnb52RgQuM1CwVfd',$,'Site',$,$,$,$,$,.ELEMENT.,$,$,$,$,$);",
    "#3=IFCBUILDING('2FCZDorxHDT8NI01kdXi8P',$,'Tower',$,$,$,$,$,.ELEMENT.,$,$,$);",
    "#10=IFCBUILDINGSTOREY('0C87kaqBXF$xpGmTZ7zxN$',$,'Level 1',$,$,$,$,$,.ELEMENT.,0.);",
    "#11=IFCBUILDINGSTOREY('1bH6Ao4CX1ThQqQ$dmy8Hh',$,'Level 2',$,$,$,$,$,.ELEMENT.,3600.);",
    "#20=IFCCOLUMN('3vB2YO$MX4xv5uCqZZG05x',$,'C1',$,$,$,$,$,$);",
    "#21=IFCCOLUMN('1hOSvn6df7F8_7GcBWlR72',$,'C2',$,$,$,$,$,$);",
    ...extra,
    'ENDSEC;',
    'END-ISO-10303-21;',
    '',
  ].join('\n');
}

/** Frame.ifc, versions 1 and 2 (STEP text: IFC is text). */
export const FRAME_IFC: string[] = [
  ifc('ViewDefinition [CoordinationView]', '2024-03-04T09:30:00', ["#30=IFCBEAM('0Lv3Pu4c1DLQF3OkYDDhJx',$,'B1',$,$,$,$,$,$);"]),
  ifc('ViewDefinition [ReferenceView]', '2024-03-05T14:10:00', [
    "#30=IFCBEAM('0Lv3Pu4c1DLQF3OkYDDhJx',$,'B1 (HEA 300)',$,$,$,$,$,$);",
    "#31=IFCBEAM('2Ab1Cd3Ef4Gh5Ij6Kl7Mn8',$,'B2 (HEA 300)',$,$,$,$,$,$);",
  ]),
];

/** Title Block.dxf, versions 1 and 2: binary DXF (the sentinel AutoCAD writes, then binary group codes). */
export const TITLE_BLOCK_DXF: Buffer[] = [1, 2].map((version) => {
  const sentinel = Buffer.from('AutoCAD Binary DXF\r\n\x1a\x00', 'latin1');
  const body = Buffer.alloc(2048 + version * 512);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + version * 7) & 0xff;
  return Buffer.concat([sentinel, body]);
});
