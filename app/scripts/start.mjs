console.log('The legal case service is not built yet (see issue 7).');
